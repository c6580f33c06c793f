using TorchSharp;
using Vicreg.Losses;
using Vicreg.Training.Model;
using static TorchSharp.torch;

namespace Vicreg.Training.Methods;

/// <summary>
/// BYOL (Grill et al., 2020): the online branch plus its predictor regresses, for each view, the momentum
/// target's embedding of the other view (loss 2 − 2·cos, both directions). The target is the model's
/// <see cref="JointEmbedding.Target"/> (in the state dict, so checkpoints and resume cover it); after every
/// optimizer step it moves towards branch A with τ following a cosine from τ₀ to 1. Optionally plus VICReg's
/// variance/covariance terms on the online embeddings (Table 4).
/// </summary>
public sealed class ByolMethod : IRunsBranchesItself, IAfterOptimizerStep
{
    private readonly AddedTerms added;

    public ByolMethod(double tau = 0.99, AddedTerms? added = null)
    {
        if (tau is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(tau), $"must be in [0, 1); got {tau}");
        BaseTau = tau;
        this.added = added ?? new AddedTerms();
    }

    public string Name => "byol";
    public double BaseTau { get; }

    /// <summary>τ after step <paramref name="step"/> of <paramref name="totalSteps"/>: 1 − (1 − τ₀)(cos(π·step/total) + 1)/2.</summary>
    public double TauAt(long step, long totalSteps) =>
        1 - (1 - BaseTau) * (Math.Cos(Math.PI * Math.Min(step, totalSteps) / Math.Max(1, totalSteps)) + 1) / 2;

    public MethodLoss Compute(Tensor embeddingA, Tensor embeddingB) =>
        throw new InvalidOperationException("BYOL needs the views for its momentum target; the trainer calls Forward");

    public MethodLoss Forward(JointEmbedding model, Tensor viewA, Tensor viewB)
    {
        var target = model.Target ?? throw new InvalidOperationException("BYOL needs the model's momentum target (ModelFactory.Build with method byol)");
        var predictorA = model.A.Predictor ?? throw new InvalidOperationException("BYOL needs a predictor on branch A");
        var predictorB = model.B.Predictor ?? predictorA;
        using var scope = NewDisposeScope();
        var (_, za) = model.A.call(viewA);
        var (_, zb) = model.B.call(viewB);
        var pa = predictorA.call(za);
        var pb = predictorB.call(zb);
        Tensor ta, tb;
        using (no_grad())
        {
            ta = target.call(viewA).Embedding;
            tb = target.call(viewB).Embedding;
        }
        return added.With(CosineLosses.Byol(pa, pb, ta, tb), za, zb).MoveToOuterScope();
    }

    public void AfterOptimizerStep(JointEmbedding model, long step, long totalSteps)
    {
        using var noGrad = no_grad();
        using var tau = TauAt(step, totalSteps).ToScalar(); // changes every step: a using scalar, never a temporary
        using var rest = (1 - TauAt(step, totalSteps)).ToScalar();
        foreach (var (online, target) in model.TargetPairs)
            target.mul_(tau).add_(online, rest);
    }
}
