using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Vicreg.Data;
using Vicreg.Encoders;
using static TorchSharp.torch;

namespace Vicreg.Training.Evaluation;

/// <summary>
/// Runs a frozen encoder (eval mode, no grad) over centre views of a dataset. Results are cached on disk
/// under a key the caller chooses (e.g. the checkpoint step), so repeated probes cost nothing.
/// </summary>
public static class FeatureExtractor
{
    public static FeatureSet Extract(Encoder encoder, ImageLoader loader, IReadOnlyList<ImageSample> samples,
        int size, Device device, string? cachePath = null, int batchSize = 128, IProgress<double>? progress = null)
    {
        if (cachePath is not null && File.Exists(cachePath)) return FeatureSet.Load(cachePath);
        var mean = ViewAugmentation.ImageNetMean;
        var std = ViewAugmentation.ImageNetStd;
        var feats = new List<Tensor>();
        var labels = new List<long>();
        bool wasTraining = encoder.training;
        encoder.eval();
        try
        {
            using var noGrad = no_grad();
            for (int start = 0; start < samples.Count; start += batchSize)
            {
                int n = Math.Min(batchSize, samples.Count - start);
                var views = new float[n][];
                Parallel.For(0, n, i =>
                {
                    using var image = loader.TryLoad(start + i); // a copy we own, also when cached
                    if (image is null) return; // the loader already printed and counted it
                    views[i] = ImageAugmenter.CenterView(image, size, mean, std);
                });
                var ok = Enumerable.Range(0, n).Where(i => views[i] is not null).ToArray();
                if (ok.Length == 0) continue;
                var flat = new float[ok.Length * 3 * size * size];
                for (int k = 0; k < ok.Length; k++) views[ok[k]].CopyTo(flat, k * 3 * size * size);
                using var scope = NewDisposeScope();
                var x = tensor(flat, new long[] { ok.Length, 3, size, size }).to(device);
                feats.Add(encoder.call(x).cpu().to_type(ScalarType.Float32).MoveToOuterDisposeScope());
                labels.AddRange(ok.Select(i => (long)samples[start + i].Label));
                progress?.Report((double)(start + n) / samples.Count);
            }
        }
        finally
        {
            encoder.train(wasTraining);
        }
        if (feats.Count == 0) throw new InvalidDataException("no image could be read for feature extraction");
        var set = new FeatureSet(cat(feats), tensor(labels.ToArray()));
        foreach (var f in feats) f.Dispose();
        if (cachePath is not null) set.Save(cachePath);
        return set;
    }
}
