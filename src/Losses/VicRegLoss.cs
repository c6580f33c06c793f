using TorchSharp;
using Vicreg.Core;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Vicreg.Losses;

/// <summary>
/// VICReg loss (Bardes, Ponce &amp; LeCun, ICLR 2022) with the semantics of the official code:
/// invariance = MSE(z1, z2); variance = mean_d relu(γ − sqrt(var(z) + ε)) averaged over the two
/// branches; covariance = Σ offdiag(C(z))² / D summed over the two branches, with C = XᵀX / (N−1)
/// of the centred batch. Unlike the official code, N − 1 is the actual row count minus one, not the
/// configured batch size minus one (they differ only on a short last batch).
/// </summary>
public sealed class VicRegLoss
{
    public VicRegOptions Options { get; }

    public VicRegLoss(VicRegOptions? options = null) => Options = options ?? new VicRegOptions();

    /// <summary>The total λ·invariance + μ·variance + ν·covariance and its terms "invariance", "variance" and
    /// "covariance". Inputs are [N, D] embeddings of the two branches, any float dtype.</summary>
    public LossTerms Compute(Tensor z1, Tensor z2)
    {
        EmbeddingChecks.RequirePair(z1, z2);
        using var scope = NewDisposeScope();
        var a = EmbeddingChecks.AsFloat32(z1);
        var b = EmbeddingChecks.AsFloat32(z2);
        var inv = InvarianceUnchecked(a, b);
        var variance = VarianceUnchecked(a, Options.Gamma, Options.Eps).Plus(VarianceUnchecked(b, Options.Gamma, Options.Eps)).DividedBy(2.0);
        var cov = CovarianceUnchecked(a, Options.Form).Plus(CovarianceUnchecked(b, Options.Form));
        var total = inv.Times(Options.Sim).Plus(variance.Times(Options.Std)).Plus(cov.Times(Options.Cov));
        return new LossTerms(total, ("invariance", inv), ("variance", variance), ("covariance", cov)).MoveToOuterScope();
    }

    /// <summary>Invariance term: mean over N and D of (z1 − z2)².</summary>
    public static Tensor Invariance(Tensor z1, Tensor z2)
    {
        EmbeddingChecks.RequirePair(z1, z2);
        using var a = EmbeddingChecks.AsFloat32(z1);
        using var b = EmbeddingChecks.AsFloat32(z2);
        return InvarianceUnchecked(a, b);
    }

    /// <summary>Variance term of ONE branch: mean_d relu(γ − sqrt(var_unbiased(z) + ε)).
    /// The VICReg loss averages this over the two branches.</summary>
    public static Tensor Variance(Tensor z, double gamma = 1.0, double eps = 1e-4)
    {
        EmbeddingChecks.RequireBatch(z, nameof(z));
        using var a = EmbeddingChecks.AsFloat32(z);
        return VarianceUnchecked(a, gamma, eps);
    }

    /// <summary>Covariance term of ONE branch: Σ_{i≠j} C_ij² / D with C = XᵀX / (N−1), X centred.
    /// The VICReg loss sums this over the two branches.</summary>
    public static Tensor Covariance(Tensor z, CovarianceForm form = CovarianceForm.Auto)
    {
        EmbeddingChecks.RequireBatch(z, nameof(z));
        using var a = EmbeddingChecks.AsFloat32(z);
        return CovarianceUnchecked(a, form);
    }

    /// <summary>Which algorithm <see cref="CovarianceForm.Auto"/> picks for an [N, D] batch.</summary>
    public static CovarianceForm Resolve(CovarianceForm form, long n, long d) =>
        form != CovarianceForm.Auto ? form : (n < d ? CovarianceForm.Gram : CovarianceForm.Feature);

    static Tensor InvarianceUnchecked(Tensor a, Tensor b) => F.mse_loss(a, b);

    static Tensor VarianceUnchecked(Tensor z, double gamma, double eps)
    {
        using var scope = NewDisposeScope();
        var std = z.var(0L, unbiased: true).Plus(eps).sqrt();
        return F.relu(std.SubtractedFrom(gamma)).mean().MoveToOuterDisposeScope();
    }

    static Tensor CovarianceUnchecked(Tensor z, CovarianceForm form)
    {
        using var scope = NewDisposeScope();
        long n = z.shape[0], d = z.shape[1];
        var x = z.Minus(z.mean(new long[] { 0 }, keepdim: true));
        // Σ_j C_jj² is the same in both forms: the diagonal of XᵀX holds the column sums of X².
        var diagSq = x.Squared().sum(new long[] { 0 }).Squared().sum();
        Tensor frobSq = Resolve(form, n, d) == CovarianceForm.Gram
            ? x.matmul(x.t()).Squared().sum()   // ‖XXᵀ‖²_F, N×N
            : x.t().matmul(x).Squared().sum();  // ‖XᵀX‖²_F, D×D
        using var norm = ((double)(n - 1) * (n - 1) * d).ToScalar(); // a using scalar: see Vicreg.Core.Scalars
        return frobSq.Minus(diagSq).div(norm).MoveToOuterDisposeScope();
    }
}
