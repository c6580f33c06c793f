using static TorchSharp.torch;

namespace Vicreg.Losses;

/// <summary>Input validation shared by the losses: clear ArgumentExceptions instead of NaNs downstream.</summary>
public static class EmbeddingChecks
{
    [ThreadStatic] private static int finiteChecksDeferred;

    /// <summary>While the returned scope is open, <see cref="RequireBatch"/> on this thread skips its finite check,
    /// which costs a host read per input. For a caller that checks the loss itself, as the trainer does in its
    /// one read-back per step: a NaN or Inf embedding makes the loss (or its gradient) non-finite too.</summary>
    public static IDisposable DeferFiniteChecks()
    {
        finiteChecksDeferred++;
        return new DeferredScope();
    }

    private sealed class DeferredScope : IDisposable
    {
        private bool disposed;
        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            finiteChecksDeferred--;
        }
    }

    /// <summary>A 2-D [N, D] tensor with N ≥ 2 and only finite values (finiteness unless deferred, see <see cref="DeferFiniteChecks"/>).</summary>
    public static void RequireBatch(Tensor z, string name)
    {
        if (z is null) throw new ArgumentNullException(name);
        if (z.dim() != 2)
            throw new ArgumentException($"{name} must be 2-D [N, D]; got shape [{string.Join(", ", z.shape)}].", name);
        if (z.shape[0] < 2)
            throw new ArgumentException($"{name} needs at least 2 rows (N ≥ 2) for an unbiased variance; got N = {z.shape[0]}.", name);
        if (!z.is_floating_point())
            throw new ArgumentException($"{name} must be a floating-point tensor; got {z.dtype}.", name);
        if (finiteChecksDeferred > 0) return;
        using var finite = z.detach().isfinite().all();
        if (!finite.item<bool>()) // host read: skipped inside a training step (DeferFiniteChecks)
            throw new ArgumentException($"{name} contains NaN or Inf values.", name);
    }

    /// <summary>Both branches valid and of equal shape.</summary>
    public static void RequirePair(Tensor z1, Tensor z2)
    {
        RequireBatch(z1, nameof(z1));
        RequireBatch(z2, nameof(z2));
        if (!z1.shape.SequenceEqual(z2.shape))
            throw new ArgumentException(
                $"z1 and z2 must have the same shape; got [{string.Join(", ", z1.shape)}] and [{string.Join(", ", z2.shape)}].");
    }

    /// <summary>The loss is always computed in float32, whatever the embeddings' dtype (bf16/fp16 under AMP).</summary>
    internal static Tensor AsFloat32(Tensor z) => z.dtype == ScalarType.Float32 ? z.alias() : z.to_type(ScalarType.Float32);
}
