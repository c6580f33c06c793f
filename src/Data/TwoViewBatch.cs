using static TorchSharp.torch;

namespace Vicreg.Data;

/// <summary>
/// One batch of two augmented views. <paramref name="ViewA"/> and <paramref name="ViewB"/> are float32
/// [B,3,S,S] contiguous CPU tensors, <paramref name="Labels"/> int64 [B], <paramref name="Indices"/> the
/// dataset indices actually used (after substitution of unreadable files). The consumer disposes it.
/// </summary>
public sealed record TwoViewBatch(Tensor ViewA, Tensor ViewB, Tensor Labels, int[] Indices) : IDisposable
{
    /// <summary>Number of samples in the batch.</summary>
    public int Count => Indices.Length;

    public void Dispose()
    {
        ViewA.Dispose();
        ViewB.Dispose();
        Labels.Dispose();
    }
}
