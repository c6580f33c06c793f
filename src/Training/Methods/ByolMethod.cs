using Vicreg.Core;
using TorchSharp;
using Vicreg.Losses;
using Vicreg.Training.Model;
using static TorchSharp.torch;

namespace Vicreg.Training.Methods;

/// <summary>BYOL's fields of the `method` section.</summary>
public sealed record ByolOptions : WithAddedTermsOptions
{
    /// <summary>BYOL's base momentum τ₀; τ follows a cosine from τ₀ to 1 over training (0.99 in Table 4's runs).</summary>
    [Option("Base momentum τ₀ of the target network; τ rises to 1 along a cosine over training.", Min = 0, Max = 1, MaxExclusive = true)]
    public double Tau { get; init; } = 0.99;
}

/// <summary>
/// BYOL (Grill et al., 2020): the online branch plus its predictor regresses, for each view, the momentum
/// target's embedding of the other view (loss 2 − 2·cos, both directions). The target is the model's
/// <see cref="JointEmbedding.Target"/> (in the state dict, so checkpoints and resume cover it); after every
/// optimizer step it moves towards branch A with τ following a cosine from τ₀ to 1. Optionally plus VICReg's
/// variance/covariance terms on the online embeddings (Table 4).
/// </summary>
public sealed class ByolMethod : IMethod
{
    // The stop-gradient target is a moving average of branch A: with two different branches there is nothing
    // for one view's target to mirror, and data parallelism does not replicate the predictor and target yet.
    public static readonly MethodEntry Entry = MethodEntry.Of<ByolOptions, ByolMethod>(
        "byol", "BYOL: online predictor regresses a momentum target",
        new MethodCapabilities(PredictorUse.Required, MomentumTarget: true, UnsharedBranches: false, DataParallel: false,
            OneProcessOnly: "runs a predictor and a momentum target inside its loss, which multi-process training does not split yet"),
        (o, _) => new ByolMethod(o.Tau, o.ToAddedTerms()),
        (o, _, require) =>
        {
            require(o.Tau is >= 0 and < 1, "method.tau", $"must be in [0, 1); got {o.Tau}");
            o.ValidateAddedTerms(require);
        });

    private static readonly ByolLoss Regression = new();
    private readonly AddedTerms added;

    public ByolMethod(double tau = 0.99, AddedTerms? added = null)
    {
        if (tau is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(tau), $"must be in [0, 1); got {tau}");
        BaseTau = tau;
        this.added = added ?? new AddedTerms();
        Terms = this.added.After(new LossTerm("prediction"));
    }

    public string Name => "byol";
    public IReadOnlyList<LossTerm> Terms { get; }
    public double BaseTau { get; }

    /// <summary>τ after step <paramref name="step"/> of <paramref name="totalSteps"/>: 1 − (1 − τ₀)(cos(π·step/total) + 1)/2.</summary>
    public double TauAt(long step, long totalSteps) =>
        1 - (1 - BaseTau) * (Math.Cos(Math.PI * Math.Min(step, totalSteps) / Math.Max(1, totalSteps)) + 1) / 2;

    public LossTerms Loss(IForwardPass pass)
    {
        var model = pass.Model;
        var target = model.Target ?? throw new InvalidOperationException("BYOL needs the model's momentum target (ModelFactory.Build with method byol)");
        var predictorA = model.A.Predictor ?? throw new InvalidOperationException("BYOL needs a predictor on branch A");
        var predictorB = model.B.Predictor ?? predictorA;
        using var scope = NewDisposeScope();
        var (za, zb) = pass.Embeddings();
        var pa = pass.Network(() => predictorA.call(za));
        var pb = pass.Network(() => predictorB.call(zb));
        var (viewA, viewB) = pass.Views;
        Tensor ta, tb;
        using (no_grad())
        {
            ta = pass.Network(() => target.call(viewA).Embedding);
            tb = pass.Network(() => target.call(viewB).Embedding);
        }
        return added.With(Regression.Compute(pa, pb, ta, tb), za, zb).MoveToOuterScope();
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
