using Vicreg.Losses;
using Vicreg.Training.Model;
using static TorchSharp.torch;

namespace Vicreg.Training.Methods;

/// <summary>
/// SimSiam (Chen &amp; He, 2021): each view's prediction regresses the other view's embedding under a
/// stop-gradient, negative cosine, symmetrised. Without a predictor on the branch, the prediction is the
/// embedding itself (the paper's Table 4 row that collapses unless the variance/covariance terms are added).
/// </summary>
public sealed class SimSiamMethod : IRunsBranchesItself
{
    private readonly AddedTerms added;

    public SimSiamMethod(AddedTerms? added = null) => this.added = added ?? new AddedTerms();

    public string Name => "simsiam";

    /// <summary>Without predictors: the embeddings predict each other directly.</summary>
    public MethodLoss Compute(Tensor embeddingA, Tensor embeddingB)
    {
        using var scope = NewDisposeScope();
        return added.With(CosineLosses.SimSiam(embeddingA, embeddingB, embeddingA, embeddingB), embeddingA, embeddingB).MoveToOuterScope();
    }

    public MethodLoss Forward(JointEmbedding model, Tensor viewA, Tensor viewB)
    {
        using var scope = NewDisposeScope();
        var (_, za) = model.A.call(viewA);
        var (_, zb) = model.B.call(viewB);
        var pa = model.A.Predictor?.call(za) ?? za;
        var pb = model.B.Predictor?.call(zb) ?? zb;
        return added.With(CosineLosses.SimSiam(pa, pb, za, zb), za, zb).MoveToOuterScope();
    }
}
