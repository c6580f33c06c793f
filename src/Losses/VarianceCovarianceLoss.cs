using TorchSharp;
using Vicreg.Core;
using static TorchSharp.torch;

namespace Vicreg.Losses;

/// <summary>
/// VICReg's variance and covariance terms as an add-on to another method (the paper's Table 4, μ = 1, ν = 0.01):
/// variance averaged over the two branches, covariance summed over them, as in VICReg itself.
/// </summary>
public sealed class VarianceCovarianceLoss(double mu = 1.0, double nu = 1.0, double gamma = 1.0, double eps = 1e-4,
    CovarianceForm form = CovarianceForm.Auto)
{
    /// <summary>The total μ·variance + ν·covariance and its terms "variance" and "covariance".</summary>
    public LossTerms Compute(Tensor z1, Tensor z2)
    {
        EmbeddingChecks.RequirePair(z1, z2);
        using var scope = NewDisposeScope();
        var v = VicRegLoss.Variance(z1, gamma, eps).Plus(VicRegLoss.Variance(z2, gamma, eps)).DividedBy(2.0);
        var c = VicRegLoss.Covariance(z1, form).Plus(VicRegLoss.Covariance(z2, form));
        var total = v.Times(mu).Plus(c.Times(nu));
        return new LossTerms(total, ("variance", v), ("covariance", c)).MoveToOuterScope();
    }
}
