using Vicreg.Core;
using static TorchSharp.torch;

namespace Vicreg.Losses;

/// <summary>SimSiam's symmetric loss (Chen &amp; He, 2021): −cos(p1, sg(z2)) / 2 − cos(p2, sg(z1)) / 2, averaged over
/// rows. Without a predictor, p = z.</summary>
public sealed class SimSiamLoss
{
    /// <summary>The loss; its one term, "negative_cosine", is the total.</summary>
    public LossTerms Compute(Tensor p1, Tensor p2, Tensor z1, Tensor z2)
    {
        EmbeddingChecks.RequirePair(p1, z2);
        EmbeddingChecks.RequirePair(p2, z1);
        using var scope = NewDisposeScope();
        var total = CosineLosses.MeanCosine(p1, z2).Plus(CosineLosses.MeanCosine(p2, z1)).Times(-0.5);
        return new LossTerms(total, ("negative_cosine", total)).MoveToOuterScope();
    }
}
