using Vicreg.Core;
using Vicreg.Losses;
using static TorchSharp.torch;

namespace Vicreg.Training.Methods;

/// <summary>VICReg's variance and covariance terms added to another method's loss with weights μ and ν
/// (Table 4: μ = 1, ν = 0.01). With both at 0 the method's loss is returned alone.</summary>
public sealed record AddedTerms(double Mu = 0, double Nu = 0)
{
    public bool Any => Mu > 0 || Nu > 0;

    /// <summary>The method's loss plus μ·variance + ν·covariance of <paramref name="za"/> and <paramref name="zb"/>;
    /// the added terms are logged in the variance and covariance columns.</summary>
    public MethodLoss With(Tensor methodLoss, Tensor za, Tensor zb)
    {
        if (!Any) return new MethodLoss(methodLoss);
        var (v, c) = VarianceCovarianceTerms.Compute(za, zb);
        using var weighted = v.Times(Mu).Plus(c.Times(Nu));
        return new MethodLoss(methodLoss.Plus(weighted), null, v, c);
    }
}
