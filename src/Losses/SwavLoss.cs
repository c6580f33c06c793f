using TorchSharp;
using Vicreg.Core;
using static TorchSharp.torch;

namespace Vicreg.Losses;

/// <summary>
/// SwAV's loss (Caron et al., 2020) as the official code computes it (main_swav.py): each view's ℓ2-normalised
/// embeddings are scored against K prototypes (rows of unit norm); Sinkhorn-Knopp turns the detached scores of the
/// two global views into codes with equal use of the prototypes over the batch; every other view predicts each
/// global view's codes (the swapped prediction). With views 0, 1 global and V views in all:
/// ½ Σ_{i∈{0,1}} Σ_{v≠i} −mean_n Σ_k q_i log softmax(s_v/T) / (V − 1). For two views this is
/// −½ [mean_n Σ_k q₁ log softmax(s₂/T) + mean_n Σ_k q₂ log softmax(s₁/T)]. Optionally the codes of global view i are
/// computed over a queue of past embeddings in front of the batch (small batches), keeping the batch's rows.
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

    /// <summary>The loss of two views' embeddings <paramref name="z1"/>, <paramref name="z2"/> [N, D] against
    /// <paramref name="prototypes"/> [K, D] (rows assumed of unit norm; gradients reach all three).</summary>
    public LossTerms Compute(Tensor z1, Tensor z2, Tensor prototypes) => Compute(new[] { z1, z2 }, Array.Empty<Tensor>(), prototypes);

    /// <summary>The multi-crop loss: <paramref name="globals"/> are the two global views' embeddings [N, D], whose
    /// codes are computed; <paramref name="locals"/> the other views' [N, D], which only predict. <paramref name="queues"/>,
    /// when given, holds for each global view the past ℓ2-normalised embeddings [L, D] whose scores go in front of the
    /// batch's for its codes (no gradient). Gradients reach every embedding and, unless detached by the caller, the prototypes.
    /// Its one term, "swapped_prediction", is the total.</summary>
    public LossTerms Compute(IReadOnlyList<Tensor> globals, IReadOnlyList<Tensor> locals, Tensor prototypes, IReadOnlyList<Tensor>? queues = null)
    {
        if (globals.Count != 2) throw new ArgumentException($"SwAV computes the codes of two global views; got {globals.Count}", nameof(globals));
        if (queues is not null && queues.Count != 2) throw new ArgumentException($"one queue per global view; got {queues.Count}", nameof(queues));
        var views = globals.Concat(locals).ToArray();
        foreach (var v in views.Skip(1)) EmbeddingChecks.RequirePair(views[0], v);
        if (prototypes.dim() != 2 || prototypes.shape[1] != views[0].shape[1])
            throw new ArgumentException($"prototypes must be [K, {views[0].shape[1]}]; got [{string.Join(", ", prototypes.shape)}]", nameof(prototypes));
        using var scope = NewDisposeScope();
        var c = EmbeddingChecks.AsFloat32(prototypes);
        var scores = views.Select(z => CosineLosses.Normalize(EmbeddingChecks.AsFloat32(z)).matmul(c.t())).ToArray();
        Tensor? total = null;
        for (int i = 0; i < 2; i++)
        {
            var q = queues is null ? Codes(scores[i]) : Codes(scores[i], QueueScores(queues[i], c));
            Tensor? sub = null;
            for (int v = 0; v < views.Length; v++)
                if (v != i)
                {
                    var p = Prediction(q, scores[v]);
                    sub = sub is null ? p : sub.Plus(p);
                }
            // One other view (two in all): its prediction alone, as the two-view form has always computed it.
            if (views.Length > 2) sub = sub!.DividedBy(views.Length - 1);
            total = total is null ? sub! : total.Plus(sub!);
        }
        var mean = total!.DividedBy(2.0);
        return new LossTerms(mean, ("swapped_prediction", mean)).MoveToOuterScope();
    }

    /// <summary>Scores [L, K] of queued ℓ2-normalised embeddings [L, D] against the prototypes, without gradient.</summary>
    public static Tensor QueueScores(Tensor queue, Tensor prototypes)
    {
        using var noGrad = no_grad();
        return EmbeddingChecks.AsFloat32(queue).matmul(EmbeddingChecks.AsFloat32(prototypes).detach().t());
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

    /// <summary>The batch's codes [B, K] when the queue's scores [L, K] are assigned together with the batch's
    /// [B, K] (the official sinkhorn(cat(queue scores, scores))[-B:]).</summary>
    public Tensor Codes(Tensor scores, Tensor queueScores)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var all = Codes(cat(new[] { queueScores.detach(), scores.detach() }, 0));
        return all.narrow(0, queueScores.shape[0], scores.shape[0]).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>−mean_n Σ_k q log softmax(s / T).</summary>
    private Tensor Prediction(Tensor codes, Tensor scores)
    {
        using var scope = NewDisposeScope();
        var logP = nn.functional.log_softmax(scores.DividedBy(Temperature), 1);
        return codes.mul(logP).sum(dim: 1).mean().Times(-1.0).MoveToOuterDisposeScope();
    }
}
