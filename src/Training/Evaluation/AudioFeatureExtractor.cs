using Vicreg.Data.Audio;
using Vicreg.Encoders;
using static TorchSharp.torch;

namespace Vicreg.Training.Evaluation;

/// <summary>Runs a frozen audio encoder (eval mode, no grad) over the centred crop of the clips
/// <paramref name="rows"/> of the loader's list (all when null), in that order; the caller passes clips that
/// decode (a clip that does not is left out). Cached on disk under the caller's key.</summary>
public static class AudioFeatureExtractor
{
    public static FeatureSet Extract(Encoder encoder, AudioLoader loader, IReadOnlyList<AudioSample> samples, double seconds,
        Device device, string? cachePath = null, IReadOnlyList<int>? rows = null, int batchSize = 64) =>
        FrozenFeatures.Collect(encoder, device, CentreCrops(loader, samples, seconds, rows ?? Enumerable.Range(0, samples.Count).ToArray(), batchSize),
            cachePath, "audio clip");

    private static IEnumerable<LabelledBatch> CentreCrops(AudioLoader loader, IReadOnlyList<AudioSample> samples, double seconds,
        IReadOnlyList<int> rows, int batchSize)
    {
        int length = Math.Max(1, (int)Math.Round(seconds * loader.SampleRate));
        for (int start = 0; start < rows.Count; start += batchSize)
        {
            var clips = rows.Skip(start).Take(batchSize).Select(i => (Index: i, Clip: loader.TryLoad(i))).Where(p => p.Clip is not null).ToArray();
            if (clips.Length == 0) continue;
            var flat = new float[clips.Length * length];
            for (int k = 0; k < clips.Length; k++) AudioViews.Centre(clips[k].Clip, flat.AsSpan(k * length, length));
            yield return new LabelledBatch(flat, new long[] { clips.Length, 1, length }, clips.Select(p => (long)samples[p.Index].Label).ToArray());
        }
    }

    /// <summary>Features of two encoders side by side ([N, Da + Db]); both sets must list the same clips.</summary>
    public static FeatureSet Concatenate(FeatureSet a, FeatureSet b)
    {
        if (a.Count != b.Count) throw new ArgumentException($"cannot concatenate feature sets of {a.Count} and {b.Count} clips");
        return new FeatureSet(cat(new[] { a.Features, b.Features }, 1), a.Labels.clone());
    }
}
