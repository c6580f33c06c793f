using TorchSharp;
using Vicreg.Core;
using static TorchSharp.torch;

namespace Vicreg.Losses;

/// <summary>
/// The per-term cosine functions of the non-contrastive losses (<see cref="ByolLoss"/>, <see cref="SimSiamLoss"/>) and
/// of SwAV's scores. The target side is always detached (stop-gradient).
/// </summary>
public static class CosineLosses
{
    /// <summary>Rows scaled to unit ℓ2 norm (norm floored at 1e-12, as torch.nn.functional.normalize).</summary>
    public static Tensor Normalize(Tensor z) => nn.functional.normalize(z, p: 2.0, dim: 1, eps: 1e-12);

    /// <summary>mean_i (2 − 2 cos(p_i, sg(t_i))).</summary>
    public static Tensor RegressionLoss(Tensor p, Tensor t)
    {
        using var scope = NewDisposeScope();
        return MeanCosine(p, t).Times(-2.0).Plus(2.0).MoveToOuterDisposeScope();
    }

    /// <summary>mean_i cos(p_i, sg(t_i)), computed in float32.</summary>
    public static Tensor MeanCosine(Tensor p, Tensor t)
    {
        using var scope = NewDisposeScope();
        var a = Normalize(EmbeddingChecks.AsFloat32(p));
        var b = Normalize(EmbeddingChecks.AsFloat32(t).detach());
        return a.mul(b).sum(dim: 1).mean().MoveToOuterDisposeScope();
    }
}
