using TorchSharp;
using Vicreg.Core;
using Vicreg.Training.Optim;
using static TorchSharp.torch;

namespace Vicreg.Training.Evaluation;

/// <summary>Linear-probe settings. Defaults are the paper's protocol: SGD lr 0.02, wd 1e-6, batch 256,
/// 100 epochs, cosine. Features are standardised with the training set's statistics first, which
/// makes the probe insensitive to the feature scale (a random-init network's features are tiny).</summary>
public sealed record LinearProbeOptions(int Epochs = 100, double Lr = 0.02, double WeightDecay = 1e-6,
    int BatchSize = 256, double Momentum = 0.9, int Seed = 0, bool Standardize = true);

/// <summary>Top-1 and top-5 accuracy, in percent, and the predicted class of each held-out row.</summary>
public sealed record ProbeResult(double Top1, double Top5, int TrainCount, int ValCount)
{
    public long[] Predictions { get; init; } = Array.Empty<long>();
}

/// <summary>A linear classifier trained on frozen features.</summary>
public static class LinearProbe
{
    public static ProbeResult Fit(FeatureSet train, FeatureSet val, int classes, LinearProbeOptions? options = null)
    {
        var o = options ?? new LinearProbeOptions();
        using var scope = NewDisposeScope();
        var xTrain = train.Features;
        var xVal = val.Features;
        if (o.Standardize)
        {
            var mean = xTrain.mean(new long[] { 0 }, keepdim: true);
            var std = xTrain.std(0L, keepdim: true).Plus(1e-6);
            xTrain = xTrain.Minus(mean).div(std);
            xVal = xVal.Minus(mean).div(std);
        }
        var generator = new Generator().manual_seed(o.Seed);
        manual_seed(o.Seed);
        using var head = nn.Linear(train.Dim, classes);
        using var sgd = new MomentumSgd(head.parameters(), o.Momentum, o.WeightDecay);
        int n = train.Count;
        int stepsPerEpoch = Math.Max(1, (n + o.BatchSize - 1) / o.BatchSize);
        long total = (long)o.Epochs * stepsPerEpoch, step = 0;
        for (int epoch = 0; epoch < o.Epochs; epoch++)
        {
            using var order = randperm(n, generator: generator);
            for (int start = 0; start < n; start += o.BatchSize)
            {
                using var stepScope = NewDisposeScope();
                var idx = order.narrow(0, start, Math.Min(o.BatchSize, n - start));
                double lr = o.Lr * 0.5 * (1 + Math.Cos(Math.PI * step++ / total));
                sgd.ZeroGrad();
                var loss = nn.functional.cross_entropy(head.call(xTrain.index_select(0, idx)), train.Labels.index_select(0, idx));
                loss.backward();
                sgd.Step(lr);
            }
        }
        using var noGrad = no_grad();
        var logits = head.call(xVal);
        return new ProbeResult(TopK(logits, val.Labels, 1), TopK(logits, val.Labels, Math.Min(5, classes)), n, val.Count)
            { Predictions = logits.argmax(1).cpu().data<long>().ToArray() };
    }

    /// <summary>Percentage of rows whose label is among the k largest logits.</summary>
    public static double TopK(Tensor logits, Tensor labels, int k)
    {
        using var scope = NewDisposeScope();
        var top = logits.topk(k, dim: 1).indexes;
        var hit = top.eq(labels.unsqueeze(1)).any(1);
        return 100.0 * hit.to_type(ScalarType.Float64).mean().item<double>();
    }
}
