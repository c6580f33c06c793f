using Vicreg.Losses;
using Vicreg.Training.Model;
using static TorchSharp.torch;

namespace Vicreg.Training.Methods;

/// <summary>SimSiam has no settings of its own besides the optional added terms.</summary>
public sealed record SimSiamOptions : WithAddedTermsOptions;

/// <summary>
/// SimSiam (Chen &amp; He, 2021): each view's prediction regresses the other view's embedding under a
/// stop-gradient, negative cosine, symmetrised. Without a predictor on the branch, the prediction is the
/// embedding itself (the paper's Table 4 row that collapses unless the variance/covariance terms are added).
/// </summary>
public sealed class SimSiamMethod : IMethod
{
    // The stop-gradient target is the online branch itself: with two different branches there is nothing to mirror.
    public static readonly MethodEntry Entry = MethodEntry.Of<SimSiamOptions, SimSiamMethod>(
        "simsiam", "SimSiam: prediction regresses the other view under a stop-gradient",
        new MethodCapabilities(PredictorUse.Optional, UnsharedBranches: false, DataParallel: false,
            OneProcessOnly: "runs a predictor inside its loss, which multi-process training does not split yet"),
        (o, _) => new SimSiamMethod(o.ToAddedTerms()),
        (o, _, require) => o.ValidateAddedTerms(require));

    private static readonly SimSiamLoss Cosine = new();
    private readonly AddedTerms added;

    public SimSiamMethod(AddedTerms? added = null)
    {
        this.added = added ?? new AddedTerms();
        Terms = this.added.After(new LossTerm("negative_cosine"));
    }

    public string Name => "simsiam";
    public IReadOnlyList<LossTerm> Terms { get; }

    /// <summary>Without predictors the embeddings predict each other directly.</summary>
    public LossTerms Loss(IForwardPass pass)
    {
        var model = pass.Model;
        using var scope = NewDisposeScope();
        var (za, zb) = pass.Embeddings();
        var pa = model.A.Predictor is { } predictorA ? pass.Network(() => predictorA.call(za)) : za;
        var pb = model.B.Predictor is { } predictorB ? pass.Network(() => predictorB.call(zb)) : zb;
        return added.With(Cosine.Compute(pa, pb, za, zb), za, zb).MoveToOuterScope();
    }
}
