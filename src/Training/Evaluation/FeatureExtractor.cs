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
        int size, Device device, string? cachePath = null, int batchSize = 128, IProgress<double>? progress = null) =>
        FrozenFeatures.Collect(encoder, device, CentreViews(loader, samples, size, batchSize, progress), cachePath, "image");

    private static IEnumerable<LabelledBatch> CentreViews(ImageLoader loader, IReadOnlyList<ImageSample> samples, int size, int batchSize,
        IProgress<double>? progress)
    {
        var mean = ViewAugmentation.ImageNetMean;
        var std = ViewAugmentation.ImageNetStd;
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
            progress?.Report((double)(start + n) / samples.Count);
            if (ok.Length == 0) continue;
            var flat = new float[ok.Length * 3 * size * size];
            for (int k = 0; k < ok.Length; k++) views[ok[k]].CopyTo(flat, k * 3 * size * size);
            yield return new LabelledBatch(flat, new long[] { ok.Length, 3, size, size }, ok.Select(i => (long)samples[start + i].Label).ToArray());
        }
    }
}
