using TorchSharp;
using Vicreg.Core;
using static TorchSharp.torch;

namespace Vicreg.Losses;

/// <summary>
/// SwAV's loss (Caron et al., 2020) for two views, as the official code computes it: each view's ℓ2-normalised
/// embeddings are scored against K prototypes (rows of unit norm), Sinkhorn-Knopp turns the detached scores
/// into codes with equal use of the prototypes over the batch, and each view's scores predict the other view's
/// codes (the swapped prediction): −½ [mean_n Σ_k q₁ log softmax(s₂/T) + mean_n Σ_k q₂ log softmax(s₁/T)].
/// </summary>
public sealed class SwavLoss
{
    public SwavLoss(double temperature = 0.1, double epsilon = 0.05, int sinkhornIterations = 3)
    {
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), $"must be > 0; got {temperature}");
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), $"must be > 0; got {epsilon}");
        if (sinkhornIterations < 1) throw new ArgumentOutOfRangeException(nameof(sinkhornIterations), $"must be ≥ 1; got {sinkhornIterations}");
        Temperature = temperature;
        Epsilon = epsilon;
        SinkhornIterations = sinkhornIterations;
    }

    /// <summary>T, the softmax temperature of the predictions (0.1).</summary>
    public double Temperature { get; }
    /// <summary>ε, the entropy regularisation of the codes (0.05).</summary>
    public double Epsilon { get; }
    public int SinkhornIterations { get; }

    /// <summary>The loss of embeddings <paramref name="z1"/>, <paramref name="z2"/> [N, D] against
    /// <paramref name="prototypes"/> [K, D] (rows assumed of unit norm; gradients reach all three).</summary>
    public Tensor Compute(Tensor z1, Tensor z2, Tensor prototypes)
    {
        EmbeddingChecks.RequirePair(z1, z2);
        if (prototypes.dim() != 2 || prototypes.shape[1] != z1.shape[1])
            throw new ArgumentException($"prototypes must be [K, {z1.shape[1]}]; got [{string.Join(", ", prototypes.shape)}]", nameof(prototypes));
        using var scope = NewDisposeScope();
        var c = EmbeddingChecks.AsFloat32(prototypes);
        var s1 = CosineLosses.Normalize(EmbeddingChecks.AsFloat32(z1)).matmul(c.t());
        var s2 = CosineLosses.Normalize(EmbeddingChecks.AsFloat32(z2)).matmul(c.t());
        var q1 = Codes(s1);
        var q2 = Codes(s2);
        var swapped = Prediction(q1, s2).Plus(Prediction(q2, s1)).DividedBy(2.0);
        return swapped.MoveToOuterDisposeScope();
    }

    /// <summary>Sinkhorn-Knopp codes [B, K] of scores [B, K], without gradient: Q = exp(s/ε)ᵀ / ΣQ, then per
    /// iteration rows to sum 1/K and columns to sum 1/B; finally ×B, so that each row sums to 1.</summary>
    public Tensor Codes(Tensor scores)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        long b = scores.shape[0], k = scores.shape[1];
        var q = scores.detach().DividedBy(Epsilon).exp().t();
        q = q.div(q.sum());
        for (int i = 0; i < SinkhornIterations; i++)
        {
            q = q.div(q.sum(dim: 1, keepdim: true)).DividedBy(k);
            q = q.div(q.sum(dim: 0, keepdim: true)).DividedBy(b);
        }
        return q.Times(b).t().contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>−mean_n Σ_k q log softmax(s / T).</summary>
    private Tensor Prediction(Tensor codes, Tensor scores)
    {
        using var scope = NewDisposeScope();
        var logP = nn.functional.log_softmax(scores.DividedBy(Temperature), 1);
        return codes.mul(logP).sum(dim: 1).mean().Times(-1.0).MoveToOuterDisposeScope();
    }
}
