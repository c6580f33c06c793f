using TorchSharp;
using Vicreg.Core;
using static TorchSharp.torch;

namespace Vicreg.Losses;

/// <summary>
/// The cosine losses of the non-contrastive methods. The target side is always detached (stop-gradient):
/// BYOL regresses the online prediction onto the momentum target, SimSiam onto the other view's embedding.
/// </summary>
public static class CosineLosses
{
    /// <summary>Rows scaled to unit ℓ2 norm (norm floored at 1e-12, as torch.nn.functional.normalize).</summary>
    public static Tensor Normalize(Tensor z) => nn.functional.normalize(z, p: 2.0, dim: 1, eps: 1e-12);

    /// <summary>BYOL's symmetric loss: mean_i (2 − 2 cos(p1_i, t2_i)) + mean_i (2 − 2 cos(p2_i, t1_i)),
    /// with the targets t detached.</summary>
    public static Tensor Byol(Tensor p1, Tensor p2, Tensor t1, Tensor t2)
    {
        EmbeddingChecks.RequirePair(p1, t2);
        EmbeddingChecks.RequirePair(p2, t1);
        using var scope = NewDisposeScope();
        return RegressionLoss(p1, t2).Plus(RegressionLoss(p2, t1)).MoveToOuterDisposeScope();
    }

    /// <summary>SimSiam's symmetric loss: −cos(p1, sg(z2)) / 2 − cos(p2, sg(z1)) / 2, averaged over rows.
    /// Without a predictor, p = z.</summary>
    public static Tensor SimSiam(Tensor p1, Tensor p2, Tensor z1, Tensor z2)
    {
        EmbeddingChecks.RequirePair(p1, z2);
        EmbeddingChecks.RequirePair(p2, z1);
        using var scope = NewDisposeScope();
        var total = MeanCosine(p1, z2).Plus(MeanCosine(p2, z1)).Times(-0.5);
        return total.MoveToOuterDisposeScope();
    }

    /// <summary>mean_i (2 − 2 cos(p_i, sg(t_i))).</summary>
    public static Tensor RegressionLoss(Tensor p, Tensor t)
    {
        using var scope = NewDisposeScope();
        return MeanCosine(p, t).Times(-2.0).Plus(2.0).MoveToOuterDisposeScope();
    }

    /// <summary>mean_i cos(p_i, sg(t_i)), computed in float32.</summary>
    static Tensor MeanCosine(Tensor p, Tensor t)
    {
        using var scope = NewDisposeScope();
        var a = Normalize(EmbeddingChecks.AsFloat32(p));
        var b = Normalize(EmbeddingChecks.AsFloat32(t).detach());
        return a.mul(b).sum(dim: 1).mean().MoveToOuterDisposeScope();
    }
}
