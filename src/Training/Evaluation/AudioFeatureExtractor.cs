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
        Device device, string? cachePath = null, IReadOnlyList<int>? rows = null, int batchSize = 64)
    {
        rows ??= Enumerable.Range(0, samples.Count).ToArray();
        if (cachePath is not null && File.Exists(cachePath)) return FeatureSet.Load(cachePath);
        int length = Math.Max(1, (int)Math.Round(seconds * loader.SampleRate));
        var feats = new List<Tensor>();
        var labels = new List<long>();
        bool wasTraining = encoder.training;
        encoder.eval();
        try
        {
            using var noGrad = no_grad();
            for (int start = 0; start < rows.Count; start += batchSize)
            {
                int n = Math.Min(batchSize, rows.Count - start);
                var clips = rows.Skip(start).Take(n).Select(i => (Index: i, Clip: loader.TryLoad(i))).Where(p => p.Clip is not null).ToArray();
                if (clips.Length == 0) continue;
                var flat = new float[clips.Length * length];
                for (int k = 0; k < clips.Length; k++) AudioViews.Centre(clips[k].Clip, flat.AsSpan(k * length, length));
                using var scope = NewDisposeScope();
                var x = tensor(flat, new long[] { clips.Length, 1, length }).to(device);
                feats.Add(encoder.call(x).cpu().to_type(ScalarType.Float32).MoveToOuterDisposeScope());
                labels.AddRange(clips.Select(p => (long)samples[p.Index].Label));
            }
        }
        finally
        {
            encoder.train(wasTraining);
        }
        if (feats.Count == 0) throw new InvalidDataException("no audio clip could be read for feature extraction");
        var set = new FeatureSet(cat(feats), tensor(labels.ToArray()));
        foreach (var f in feats) f.Dispose();
        if (cachePath is not null) set.Save(cachePath);
        return set;
    }

    /// <summary>Features of two encoders side by side ([N, Da + Db]); both sets must list the same clips.</summary>
    public static FeatureSet Concatenate(FeatureSet a, FeatureSet b)
    {
        if (a.Count != b.Count) throw new ArgumentException($"cannot concatenate feature sets of {a.Count} and {b.Count} clips");
        return new FeatureSet(cat(new[] { a.Features, b.Features }, 1), a.Labels.clone());
    }
}
