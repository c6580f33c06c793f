using TorchSharp;
using Vicreg.Core;
using static TorchSharp.torch;

namespace Vicreg.Training.Evaluation;

/// <summary>When embeddings count as collapsed. <paramref name="Gamma"/> is the variance target γ of the loss;
/// a dimension whose std is below <paramref name="LowStdFactor"/>·γ counts as dead.</summary>
/// <param name="CollapsedFraction">Complete collapse: at least this fraction of dimensions is dead (or the mean
/// std itself is below LowStdFactor·γ: the embeddings are on average 10× narrower than the variance target).</param>
/// <param name="PartialFraction">Dimensional collapse: at least this fraction is dead.</param>
/// <param name="MinRankMe">Complete collapse also when the effective rank falls below this.</param>
public sealed record CollapseThresholds(double Gamma = 1.0, double LowStdFactor = 0.1, double CollapsedFraction = 0.9,
    double PartialFraction = 0.25, double MinRankMe = 1.5);

public enum CollapseState { None, Partial, Complete }

/// <summary>Statistics of one batch of embeddings [N, D].</summary>
/// <param name="MeanStd">Mean over dimensions of the per-dimension std (unbiased, over the N rows).</param>
/// <param name="MinStd">Smallest per-dimension std.</param>
/// <param name="LowStdFraction">Fraction of dimensions whose std is below LowStdFactor·γ.</param>
/// <param name="RankMe">RankMe (Garrido et al., 2023): exp of the entropy of the normalised singular values of
/// the embedding matrix; between 1 (every row the same direction) and min(N, D).</param>
/// <param name="MeanAbsCorrelation">Mean |correlation| between distinct dimensions (dead dimensions count 0).</param>
/// <param name="SingularValues">Singular values of the embedding matrix, largest first.</param>
public sealed record CollapseReport(int Count, int Dim, double MeanStd, double MinStd, double LowStdFraction,
    double RankMe, double MeanAbsCorrelation, double[] SingularValues, CollapseState State)
{
    public bool Collapsed => State != CollapseState.None;

    /// <summary>A warning line, or null when nothing is wrong.</summary>
    public string? Warning(string where) => State switch
    {
        CollapseState.Complete => $"warning: the embeddings have collapsed ({where}): mean std {MeanStd:G3}, {LowStdFraction:P0} of {Dim} dimensions have std < 0.1·γ, effective rank {RankMe:F1}",
        CollapseState.Partial => $"warning: dimensional collapse ({where}): {LowStdFraction:P0} of {Dim} dimensions have std < 0.1·γ, effective rank {RankMe:F1} of {Math.Min(Count, Dim)}",
        _ => null,
    };
}

/// <summary>Collapse diagnostics of a batch of embeddings: the quantities the VICReg variance and covariance
/// terms act on, plus the effective rank. Cheap enough to run every epoch on a few hundred rows.</summary>
public static class CollapseDiagnostics
{
    public static CollapseReport Measure(Tensor embeddings, CollapseThresholds? thresholds = null)
    {
        var th = thresholds ?? new CollapseThresholds();
        if (embeddings.dim() != 2 || embeddings.shape[0] < 2)
            throw new ArgumentException($"embeddings must be [N, D] with N ≥ 2; got [{string.Join(", ", embeddings.shape)}]");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var z = embeddings.detach().cpu().to_type(ScalarType.Float64);
        int n = (int)z.shape[0], d = (int)z.shape[1];
        var std = z.std(0L, unbiased: true);
        double meanStd = std.mean().item<double>();
        double minStd = std.min().item<double>();
        double lowFraction = std.lt(Scalars.Float(th.LowStdFactor * th.Gamma)).to_type(ScalarType.Float64).mean().item<double>();

        var singular = linalg.svdvals(z);
        var sv = singular.data<double>().ToArray();
        double rankMe = RankMe(sv);
        double corr = MeanAbsOffDiagonalCorrelation(z);

        double floor = th.LowStdFactor * th.Gamma;
        var state = lowFraction >= th.CollapsedFraction || meanStd < floor || rankMe < th.MinRankMe ? CollapseState.Complete
            : lowFraction >= th.PartialFraction ? CollapseState.Partial
            : CollapseState.None;
        return new CollapseReport(n, d, meanStd, minStd, lowFraction, rankMe, corr, sv, state);
    }

    /// <summary>RankMe = exp(−Σ p log p), p_k = σ_k / Σσ + 1e-7 (the paper's ε). 0 singular values give 1.</summary>
    public static double RankMe(IReadOnlyList<double> singularValues)
    {
        double total = singularValues.Sum();
        if (!(total > 0)) return 1.0;
        double entropy = 0;
        foreach (double s in singularValues)
        {
            double p = s / total + 1e-7;
            entropy -= p * Math.Log(p);
        }
        return Math.Exp(entropy);
    }

    /// <summary>Mean |corr(i, j)| over i ≠ j, in column blocks so that D = 8192 needs no D×D matrix at once.</summary>
    public static double MeanAbsOffDiagonalCorrelation(Tensor z)
    {
        using var scope = NewDisposeScope();
        long d = z.shape[1];
        if (d < 2) return 0;
        var x = z.to_type(ScalarType.Float64);
        x = x.Minus(x.mean(new long[] { 0 }, keepdim: true));
        var norm = x.mul(x).sum(new long[] { 0 }, keepdim: true).sqrt();
        // Dead (constant) columns become 0 instead of 0/0.
        var unit = x.div(norm.clamp_min(Scalars.Float(1e-12))).to_type(ScalarType.Float32);
        double sum = 0;
        const long block = 1024;
        for (long start = 0; start < d; start += block)
        {
            using var inner = NewDisposeScope();
            long m = Math.Min(block, d - start);
            var cols = unit.narrow(1, start, m);
            var c = cols.t().matmul(unit).abs();           // [m, D]
            var diagonal = cols.mul(cols).sum(new long[] { 0 }); // |corr(i, i)| (1, or 0 for a dead column)
            sum += c.sum(ScalarType.Float64).item<double>() - diagonal.sum(ScalarType.Float64).item<double>();
        }
        return sum / ((double)d * (d - 1));
    }
}
