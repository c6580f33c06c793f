using Vicreg.Core;
using Vicreg.Losses;
using static TorchSharp.torch;

namespace Vicreg.Training.Methods;

/// <summary>VICReg's variance and covariance terms added to another method's loss with weights μ and ν
/// (Table 4: μ = 1, ν = 0.01). With both at 0 the method's loss is returned alone.</summary>
public sealed record AddedTerms(double Mu = 0, double Nu = 0)
{
    public bool Any => Mu > 0 || Nu > 0;

    /// <summary>The method's own terms followed by the added ones (variance, covariance) when <see cref="Any"/>.</summary>
    public IReadOnlyList<LossTerm> After(params LossTerm[] own) =>
        Any ? own.Append(new LossTerm("variance", Mu, "var")).Append(new LossTerm("covariance", Nu, "cov")).ToArray() : own;

    /// <summary>The method's loss <paramref name="own"/> plus μ·variance + ν·covariance of <paramref name="za"/> and
    /// <paramref name="zb"/>: the method's own terms followed by the added variance and covariance.</summary>
    public LossTerms With(LossTerms own, Tensor za, Tensor zb)
    {
        if (!Any) return own;
        var added = new VarianceCovarianceLoss(Mu, Nu).Compute(za, zb);
        using var weighted = added.Total;
        return new LossTerms(own.Total.Plus(weighted), own.Terms.Concat(added.Terms).ToArray());
    }
}
