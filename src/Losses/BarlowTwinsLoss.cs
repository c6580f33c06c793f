using TorchSharp;
using Vicreg.Core;
using static TorchSharp.torch;

namespace Vicreg.Losses;

/// <summary>
/// Barlow Twins (Zbontar et al., 2021), for the paper's comparisons: each branch is normalised per
/// dimension as BatchNorm1d(affine=False) does in training (biased variance, ε = 1e-5), then
/// C = z1ᵀz2 / N and loss = Σ_i (1 − C_ii)² + λ Σ_{i≠j} C_ij².
/// </summary>
public sealed class BarlowTwinsLoss
{
    public double OffDiagonalWeight { get; }
    public double BatchNormEps { get; }

    public BarlowTwinsLoss(double offDiagonalWeight = 0.0051, double batchNormEps = 1e-5)
    {
        if (offDiagonalWeight < 0) throw new ArgumentOutOfRangeException(nameof(offDiagonalWeight), "must be ≥ 0");
        OffDiagonalWeight = offDiagonalWeight;
        BatchNormEps = batchNormEps;
    }

    /// <summary>The total Σ(1 − C_ii)² + λ Σ_{i≠j} C_ij² and its two unweighted terms, "on_diagonal" Σ(1 − C_ii)² and
    /// "off_diagonal" Σ_{i≠j} C_ij².</summary>
    public LossTerms Compute(Tensor z1, Tensor z2)
    {
        EmbeddingChecks.RequirePair(z1, z2);
        using var scope = NewDisposeScope();
        var a = Normalize(EmbeddingChecks.AsFloat32(z1));
        var b = Normalize(EmbeddingChecks.AsFloat32(z2));
        using var n = ((double)a.shape[0]).ToScalar();
        var c = a.t().matmul(b).div(n);
        var diag = c.diagonal();
        var onDiag = diag.Plus(-1.0).Squared().sum();
        var offDiag = c.Squared().sum().Minus(diag.Squared().sum());
        var total = onDiag.Plus(offDiag.Times(OffDiagonalWeight));
        return new LossTerms(total, ("on_diagonal", onDiag), ("off_diagonal", offDiag)).MoveToOuterScope();
    }

    Tensor Normalize(Tensor z)
    {
        var mean = z.mean(new long[] { 0 }, keepdim: true);
        var variance = z.var(0L, unbiased: false, keepdim: true);
        return z.Minus(mean).div(variance.Plus(BatchNormEps).sqrt());
    }
}
