using TorchSharp;
using Vicreg.Core;
using static TorchSharp.torch;

namespace Vicreg.Losses;

/// <summary>
/// SimCLR's NT-Xent (Chen et al., 2020): the 2N embeddings are ℓ2-normalised, every one is scored against
/// the 2N − 1 others by cosine similarity / T, and cross-entropy picks its partner view among them (the
/// positive plus 2N − 2 negatives). Both directions are included: the mean is over all 2N anchors.
/// </summary>
public sealed class NtXentLoss
{
    public double Temperature { get; }

    public NtXentLoss(double temperature = 0.1)
    {
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), $"must be > 0; got {temperature}");
        Temperature = temperature;
    }

    /// <summary>NT-Xent of the two [N, D] embeddings; its one term, "nt_xent", is the total.</summary>
    public LossTerms Compute(Tensor z1, Tensor z2)
    {
        EmbeddingChecks.RequirePair(z1, z2);
        using var scope = NewDisposeScope();
        long n = z1.shape[0];
        var z = cat(new[] { CosineLosses.Normalize(EmbeddingChecks.AsFloat32(z1)), CosineLosses.Normalize(EmbeddingChecks.AsFloat32(z2)) }, 0);
        var logits = z.matmul(z.t()).DividedBy(Temperature);
        var self = eye(2 * n, dtype: ScalarType.Bool, device: z.device);
        logits = logits.masked_fill(self, Scalars.Float(double.NegativeInfinity));
        using var count = (2 * n).ToScalar();
        var index = arange(Scalars.Int64(0), count, Scalars.Int64(1), dtype: ScalarType.Int64, device: z.device);
        var partner = cat(new[] { index.narrow(0, n, n), index.narrow(0, 0, n) }, 0);
        var total = nn.functional.cross_entropy(logits, partner);
        return new LossTerms(total, ("nt_xent", total)).MoveToOuterScope();
    }
}
