using Vicreg.Core;
using static TorchSharp.torch;

namespace Vicreg.Losses;

/// <summary>BYOL's symmetric loss (Grill et al., 2020): the online predictions regress the momentum targets, which are
/// detached: mean_i (2 − 2 cos(p1_i, t2_i)) + mean_i (2 − 2 cos(p2_i, t1_i)).</summary>
public sealed class ByolLoss
{
    /// <summary>The loss; its one term, "prediction", is the total.</summary>
    public LossTerms Compute(Tensor p1, Tensor p2, Tensor t1, Tensor t2)
    {
        EmbeddingChecks.RequirePair(p1, t2);
        EmbeddingChecks.RequirePair(p2, t1);
        using var scope = NewDisposeScope();
        var total = CosineLosses.RegressionLoss(p1, t2).Plus(CosineLosses.RegressionLoss(p2, t1));
        return new LossTerms(total, ("prediction", total)).MoveToOuterScope();
    }
}
