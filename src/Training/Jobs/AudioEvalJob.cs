using System.Globalization;
using TorchSharp;
using CsvHelper;
using Vicreg.Data.Audio;
using Vicreg.Encoders;
using Vicreg.Training.Config;
using Vicreg.Training.Evaluation;
using Vicreg.Training.Model;
using Vicreg.Training.Runs;
using static TorchSharp.torch;

namespace Vicreg.Training.Jobs;

/// <summary>
/// Linear probes of frozen audio encoders with the ESC-50 protocol: trained on the training clips' centred
/// crops, tested on the held-out fold. For unshared branches: branch A, branch B, and both concatenated (the
/// paper's waveform, spectrogram and joint features). Optionally each fold in turn (data.audio.cross_validation),
/// and the same networks at random init. Rows go to eval/linear_probe.csv.
/// </summary>
public static class AudioEvalJob
{
    public static IReadOnlyList<ProbeRow> Run(ExperimentConfig c, RunFolder run, JointEmbedding trained, long step,
        Device device, AudioDataSets data, Action<string> info, AudioClipCache? cache = null)
    {
        string key = ConfigHash.OfTraining(c);
        var options = new LinearProbeOptions(c.Eval.Epochs, c.Eval.Lr, c.Eval.WeightDecay, c.Eval.BatchSize, Seed: c.Seed);
        var loader = new AudioLoader(data.All.Samples, c.Data.Audio.SampleRate, info, cache);
        // Index sets into All: the probe's train and test clips, per fold when cross-validating.
        var trainPaths = data.Train.Samples.Select(s => s.Path).ToHashSet();
        var splits = new List<(string Suffix, long[] Train, long[] Test)>();
        var usable = Enumerable.Range(0, data.All.Count).Where(i => loader.TryLoad(i) is not null).ToArray();
        var samples = usable.Select(i => data.All.Samples[i]).ToList();
        splits.Add(("", Indices(samples, s => trainPaths.Contains(s.Path)), Indices(samples, s => !trainPaths.Contains(s.Path))));
        if (c.Data.Audio.CrossValidation)
        {
            if (data.All.Folds.Count < 2) info("data.audio.cross_validation: the data has no folds; probing the single split only");
            else
                foreach (int fold in data.All.Folds)
                    splits.Add(($"-fold{fold}", Indices(samples, s => s.Fold != fold), Indices(samples, s => s.Fold == fold)));
        }
        var rows = new List<ProbeRow>();

        FeatureSet Features(string tag, Encoder encoder)
        {
            info($"linear probe ({tag}): extracting features of {samples.Count} clips ({c.Data.Audio.EvalSeconds} s, centred)");
            return AudioFeatureExtractor.Extract(encoder, loader, data.All.Samples, c.Data.Audio.EvalSeconds, device,
                Path.Combine(run.EvalDir, $"features-audio-{tag}-{key}.bin"), usable);
        }

        void Probe(string tag, FeatureSet all, long atStep)
        {
            var top1 = new List<double>();
            foreach (var (suffix, train, test) in splits)
            {
                using var tr = Subset(all, train);
                using var te = Subset(all, test);
                var r = LinearProbe.Fit(tr, te, data.All.Classes.Count, options);
                if (suffix.Length == 0) Plots.EmbeddingMaps.AfterProbe(c, run, tag, te, data.All.Classes, info);
                rows.Add(new ProbeRow(tag + suffix, r.Top1, r.Top5, r.TrainCount, r.ValCount, atStep));
                if (suffix.Length > 0) top1.Add(r.Top1);
            }
            if (top1.Count > 0)
                info($"linear probe ({tag}): {top1.Count}-fold cross-validation top-1 {top1.Average():F1}% ± {StdDev(top1):F1}");
        }

        void ProbeModel(string prefix, JointEmbedding model, long atStep)
        {
            string Tag(string part) => atStep > 0 ? $"{prefix}-{part}-step{atStep}" : $"{prefix}-{part}";
            using var a = Features($"{prefix}-a", model.A.Encoder);
            Probe(Tag($"a-{model.A.Encoder.Modality}"), a, atStep);
            if (model.Shared) return;
            using var b = Features($"{prefix}-b", model.B.Encoder);
            Probe(Tag($"b-{model.B.Encoder.Modality}"), b, atStep);
            using var both = AudioFeatureExtractor.Concatenate(a, b);
            Probe(Tag("concat"), both, atStep);
        }

        ProbeModel("pretrained", trained, step);
        if (c.Eval.CompareRandomInit)
        {
            manual_seed(c.Seed);
            using var init = ModelFactory.Build(c.Model).to(device);
            ProbeModel("random-init", init, 0);
        }
        using (var writer = new StreamWriter(Path.Combine(run.EvalDir, "linear_probe.csv")))
        using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
            csv.WriteRecords(rows);
        return rows;
    }

    private static long[] Indices(IReadOnlyList<AudioSample> samples, Func<AudioSample, bool> keep) =>
        Enumerable.Range(0, samples.Count).Where(i => keep(samples[i])).Select(i => (long)i).ToArray();

    private static FeatureSet Subset(FeatureSet all, long[] rows)
    {
        using var index = tensor(rows);
        return new FeatureSet(all.Features.index_select(0, index), all.Labels.index_select(0, index));
    }

    private static double StdDev(IReadOnlyList<double> xs)
    {
        double mean = xs.Average();
        return Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / Math.Max(1, xs.Count - 1));
    }
}
