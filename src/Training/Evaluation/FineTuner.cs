using TorchSharp;
using Vicreg.Data;
using Vicreg.Data.Views;
using Vicreg.Encoders;
using Vicreg.Training.Optim;
using static TorchSharp.torch;

namespace Vicreg.Training.Evaluation;

/// <summary>Semi-supervised fine-tuning settings. <see cref="Paper"/> gives the paper's (official evaluate.py):
/// SGD momentum 0.9, no weight decay, batch 256, 20 epochs, cosine per epoch, backbone/head lr 0.03/0.08 on
/// 1% of the labels and 0.01/0.1 on 10%.</summary>
public sealed record FineTuneOptions(double Percent, double LrBackbone, double LrHead, int Epochs = 20, double WeightDecay = 0,
    int BatchSize = 256, double Momentum = 0.9, int Seed = 0)
{
    public static FineTuneOptions Paper(int percent, int seed = 0) => percent switch
    {
        1 => new(1, 0.03, 0.08, Seed: seed),
        10 => new(10, 0.01, 0.1, Seed: seed),
        _ => throw new ArgumentOutOfRangeException(nameof(percent), $"the paper fine-tunes on 1% or 10% of the labels; got {percent}%"),
    };
}

public sealed record FineTuneResult(double Top1, double Top5, int TrainCount, int ValCount, IReadOnlyList<double> EpochLoss);

/// <summary>
/// Fine-tunes a backbone and a new linear head on a labelled subset: training-mode backbone (BatchNorm
/// included), random-resized crops and flips of the training images, one lr for the backbone and one for the
/// head, each following a per-epoch cosine; then top-1/top-5 on centre views of the held-out images.
/// The backbone is changed in place.
/// </summary>
public static class FineTuner
{
    public static FineTuneResult Run(Encoder backbone, ImageLoader trainLoader, IReadOnlyList<Sample> trainSamples, IReadOnlyList<int> subset,
        ImageLoader valLoader, IReadOnlyList<Sample> valSamples, int classes, ViewAugmentation view, Device device, FineTuneOptions o,
        Action<int, double>? epochDone = null)
    {
        manual_seed(o.Seed);
        using var head = nn.Linear(backbone.OutputDim, classes);
        using (no_grad())
        {
            nn.init.normal_(head.weight, 0.0, 0.01);
            nn.init.zeros_(head.bias!);
        }
        head.to(device);
        using var sgdBackbone = new MomentumSgd(backbone.parameters(), o.Momentum, o.WeightDecay);
        using var sgdHead = new MomentumSgd(head.parameters(), o.Momentum, o.WeightDecay);
        int size = view.Size, pixels = 3 * size * size;
        var losses = new List<double>();
        for (int epoch = 0; epoch < o.Epochs; epoch++)
        {
            double factor = 0.5 * (1 + Math.Cos(Math.PI * epoch / o.Epochs)); // CosineAnnealingLR, stepped per epoch
            backbone.train();
            head.train();
            var order = subset.ToArray();
            var rng = SeedMix.Rng(o.Seed, epoch, 0xF17E);
            for (int i = order.Length - 1; i > 0; i--) { int j = rng.Next(i + 1); (order[i], order[j]) = (order[j], order[i]); }
            double lossSum = 0;
            int batches = 0;
            for (int start = 0; start < order.Length; start += o.BatchSize)
            {
                int n = Math.Min(o.BatchSize, order.Length - start);
                if (n < 2) continue; // BatchNorm in training mode needs two rows
                var views = new float[n][];
                Parallel.For(0, n, k =>
                {
                    int index = order[start + k];
                    using var image = trainLoader.TryLoad(index);
                    if (image is not null) views[k] = ImageAugmenter.Apply(image, view, SeedMix.Rng(o.Seed, epoch, index, 0xF17E));
                });
                var ok = Enumerable.Range(0, n).Where(k => views[k] is not null).ToArray();
                if (ok.Length < 2) continue;
                var flat = new float[ok.Length * pixels];
                for (int k = 0; k < ok.Length; k++) views[ok[k]].CopyTo(flat, k * pixels);
                var labels = ok.Select(k => (long)trainSamples[order[start + k]].Label).ToArray();
                using var scope = NewDisposeScope();
                var x = tensor(flat, new long[] { ok.Length, 3, size, size }).to(device);
                var y = tensor(labels).to(device);
                sgdBackbone.ZeroGrad();
                sgdHead.ZeroGrad();
                var loss = nn.functional.cross_entropy(head.call(backbone.call(x)), y);
                loss.backward();
                sgdBackbone.Step(o.LrBackbone * factor);
                sgdHead.Step(o.LrHead * factor);
                lossSum += loss.item<float>();
                batches++;
            }
            losses.Add(batches == 0 ? double.NaN : lossSum / batches);
            epochDone?.Invoke(epoch, losses[^1]);
        }

        using var val = FeatureExtractor.Extract(backbone, valSamples, new BranchInput(valLoader, new ImageViewRecipe(view, size)), device);
        head.eval();
        using var noGrad = no_grad();
        using var logits = head.call(val.Features.to(device)).cpu();
        return new FineTuneResult(LinearProbe.TopK(logits, val.Labels, 1), LinearProbe.TopK(logits, val.Labels, Math.Min(5, classes)),
            subset.Count, val.Count, losses);
    }
}
