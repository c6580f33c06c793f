using TorchSharp;
using Vicreg.Core;
using static TorchSharp.torch;

namespace Vicreg.Training.Evaluation;

/// <summary>kNN settings: the usual self-supervised protocol (InstDisc, DINO): k = 20 neighbours by cosine
/// similarity, each voting for its class with weight exp(similarity / T), T = 0.07.</summary>
public sealed record KnnOptions(int K = 20, double Temperature = 0.07, int BatchSize = 256);

/// <summary>kNN top-1 and top-5 accuracy in percent.</summary>
public sealed record KnnResult(double Top1, double Top5, int K, int TrainCount, int ValCount);

/// <summary>Weighted k-nearest-neighbour classification of frozen features: no training, so it can run
/// every few epochs during pretraining.</summary>
public static class KnnClassifier
{
    public static KnnResult Evaluate(FeatureSet train, FeatureSet val, int classes, KnnOptions? options = null)
    {
        var o = options ?? new KnnOptions();
        if (o.K < 1) throw new ArgumentOutOfRangeException(nameof(options), $"K must be ≥ 1; got {o.K}");
        if (!(o.Temperature > 0)) throw new ArgumentOutOfRangeException(nameof(options), $"Temperature must be > 0; got {o.Temperature}");
        if (train.Dim != val.Dim) throw new ArgumentException($"train features have {train.Dim} dimensions, val features {val.Dim}");
        using var scope = NewDisposeScope();
        var bank = Normalize(train.Features);
        var bankLabels = train.Labels.to_type(ScalarType.Int64);
        int k = Math.Min(o.K, train.Count);
        int top5 = Math.Min(5, classes);
        double hit1 = 0, hit5 = 0;
        for (int start = 0; start < val.Count; start += o.BatchSize)
        {
            using var batch = NewDisposeScope();
            int n = Math.Min(o.BatchSize, val.Count - start);
            var scores = Scores(bank, bankLabels, Normalize(val.Features.narrow(0, start, n)), classes, k, o.Temperature);
            var labels = val.Labels.narrow(0, start, n).to_type(ScalarType.Int64);
            hit1 += LinearProbe.TopK(scores, labels, 1) * n / 100.0;
            hit5 += LinearProbe.TopK(scores, labels, top5) * n / 100.0;
        }
        return new KnnResult(100.0 * hit1 / val.Count, 100.0 * hit5 / val.Count, k, train.Count, val.Count);
    }

    /// <summary>Class scores [B, classes] of L2-normalised queries against an L2-normalised bank: the k most
    /// similar bank rows each add exp(similarity / T) to their class.</summary>
    public static Tensor Scores(Tensor bank, Tensor bankLabels, Tensor queries, int classes, int k, double temperature)
    {
        using var scope = NewDisposeScope();
        var similarity = queries.matmul(bank.t());
        var (values, indexes) = similarity.topk(k, dim: 1);
        var neighbourLabels = bankLabels.index_select(0, indexes.flatten()).view(indexes.shape);
        var weights = values.DividedBy(temperature).exp();
        var scores = zeros(queries.shape[0], classes, dtype: weights.dtype, device: weights.device);
        return scores.scatter_add_(1, neighbourLabels, weights).MoveToOuterDisposeScope();
    }

    /// <summary>Rows scaled to unit L2 norm (zero rows stay zero).</summary>
    public static Tensor Normalize(Tensor x)
    {
        using var scope = NewDisposeScope();
        var f = x.to_type(ScalarType.Float32);
        var norm = f.mul(f).sum(new long[] { 1 }, keepdim: true).sqrt().clamp_min(Scalars.Float(1e-12));
        return f.div(norm).MoveToOuterDisposeScope();
    }
}
