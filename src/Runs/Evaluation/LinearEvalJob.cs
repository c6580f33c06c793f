using TorchSharp;
using System.Globalization;
using CsvHelper;
using Vicreg.Encoders;
using Vicreg.Training.Config;
using Vicreg.Training.Evaluation;
using Vicreg.Training.Model;
using Vicreg.Training.Runs;
using Vicreg.Training.Sources;
using static TorchSharp.torch;

namespace Vicreg.Runs.Evaluation;

/// <summary>One row of eval/linear_probe.csv.</summary>
public sealed record ProbeRow(string Backbone, double Top1, double Top5, int Train, int Val, long Step);

/// <summary>
/// Linear probes of frozen backbones on held-out data, for any modality pairing: trained on the training samples'
/// evaluation views (each branch's own), tested on the held-out ones. For unshared branches: branch A, branch B, and
/// both concatenated. Optionally each fold in turn (data.audio.cross_validation, for data with folds such as
/// ESC-50), and the same architecture at its random initialisation (same seed, so the very weights pretraining
/// started from). Rows go to eval/linear_probe.csv; features are cached in eval/.
/// </summary>
public static class LinearEvalJob
{
    /// <param name="tag">Names the backbone in the rows and feature caches; default step&lt;N&gt;
    /// (weights from a file use "weights-&lt;file&gt;", see <see cref="EvaluationModel"/>).</param>
    /// <param name="perClass">Also write each probe's per-class accuracy and confusion matrix (CSV and PNG) to eval/.</param>
    /// <param name="charts">Draws the embedding maps and the confusion matrices; null: none.</param>
    public static IReadOnlyList<ProbeRow> Run(ExperimentConfig c, RunFolder run, JointEmbedding trained, long step,
        Device device, RunData data, Action<string> info, string? tag = null, bool perClass = false, IRunCharts? charts = null)
    {
        tag ??= $"step{step}";
        var held = data.Splits.HeldOut ?? throw new InvalidOperationException(
            "linear evaluation needs held-out data: set data.val (the same classes as data.train)");
        var train = data.Splits.Train;
        // Cached features are valid only for the model and data that made them.
        string key = ConfigHash.OfTraining(c);
        var options = new LinearProbeOptions(c.Eval.Epochs, c.Eval.Lr, c.Eval.WeightDecay, c.Eval.BatchSize, Seed: c.Seed);
        var folds = c.Data.Audio.CrossValidation ? data.Splits.All.Folds.Where(f => f != 0).ToArray() : Array.Empty<int>();
        if (c.Data.Audio.CrossValidation && folds.Length < 2) info("data.audio.cross_validation: the data has no folds; probing the single split only");
        var rows = new List<ProbeRow>();
        var majority = MajorityBaseline.Of(train.Select(x => x.Label).ToList(), held.Select(x => x.Label).ToList(), data.Splits.Classes);
        WriteMajority(run, majority);
        info($"baseline: {majority}");

        (FeatureSet Train, FeatureSet Val) Features(string name, Encoder encoder, BranchSide side)
        {
            string trainCache = KnnEvalJob.FeatureCachePath(run, name, key, "train"), heldCache = KnnEvalJob.FeatureCachePath(run, name, key, "val");
            info(File.Exists(trainCache) && File.Exists(heldCache)
                ? $"linear probe ({name}): features of {train.Count} train + {held.Count} held-out samples from the cache in {run.EvalDir}"
                : $"linear probe ({name}): extracting features of {train.Count} train + {held.Count} held-out samples");
            return (FeatureExtractor.Extract(encoder, train, data.Input(side, train), device, trainCache),
                    FeatureExtractor.Extract(encoder, held, data.Input(side, held), device, heldCache));
        }

        void Probe(string name, (FeatureSet Train, FeatureSet Val) f, long atStep)
        {
            var r = LinearProbe.Fit(f.Train, f.Val, data.Classes, options);
            charts?.AfterProbe(c, run, name, f.Val, data.Splits.Classes, info);
            rows.Add(new ProbeRow(name, r.Top1, r.Top5, r.TrainCount, r.ValCount, atStep));
            if (perClass && charts is not null)
                info($"linear probe ({name}): " + charts.WritePerClass(run.EvalDir, name, data.Splits.Classes, f.Val.Labels.cpu().data<long>().ToArray(), r.Predictions));
            if (folds.Length >= 2) CrossValidate(name, f, atStep);
        }

        void CrossValidate(string name, (FeatureSet Train, FeatureSet Val) f, long atStep)
        {
            // Each kept row's fold, from the sample it came from (train rows first, then held-out rows).
            var foldOf = FoldsOf(f.Train, train).Concat(FoldsOf(f.Val, held)).ToArray();
            using var all = FeatureSet.Stack(f.Train, f.Val);
            var top1 = new List<double>();
            foreach (int fold in folds)
            {
                using var tr = all.Select(Positions(foldOf, x => x != fold));
                using var te = all.Select(Positions(foldOf, x => x == fold));
                var r = LinearProbe.Fit(tr, te, data.Classes, options);
                rows.Add(new ProbeRow($"{name}-fold{fold}", r.Top1, r.Top5, r.TrainCount, r.ValCount, atStep));
                top1.Add(r.Top1);
            }
            info($"linear probe ({name}): {top1.Count}-fold cross-validation top-1 {top1.Average():F1}% ± {StdDev(top1):F1}");
        }

        void ProbeModel(string prefix, JointEmbedding model, string? atTag, long atStep)
        {
            if (model.Shared)
            {
                var f = Features(BackboneTags.Shared(prefix, atTag), model.A.Encoder, BranchSide.A);
                using (f.Train) using (f.Val) Probe(BackboneTags.Shared(prefix, atTag), f, atStep);
                return;
            }
            var a = Features(BackboneTags.Branch(prefix, 'a', model, atTag), model.A.Encoder, BranchSide.A);
            var b = Features(BackboneTags.Branch(prefix, 'b', model, atTag), model.B.Encoder, BranchSide.B);
            using (a.Train) using (a.Val) using (b.Train) using (b.Val)
            {
                Probe(BackboneTags.Branch(prefix, 'a', model, atTag), a, atStep);
                Probe(BackboneTags.Branch(prefix, 'b', model, atTag), b, atStep);
                var both = (FeatureSet.Concatenate(a.Train, b.Train), FeatureSet.Concatenate(a.Val, b.Val));
                using (both.Item1) using (both.Item2) Probe(BackboneTags.Concat(prefix, atTag), both, atStep);
            }
        }

        ProbeModel("pretrained", trained, tag, step);
        if (c.Eval.CompareRandomInit)
        {
            manual_seed(c.Seed);
            using var init = ModelFactory.Build(c.Model).to(device);
            ProbeModel("random-init", init, null, 0);
        }
        if (c.Eval.CompareRawPixels && data.RecipeA.EvalShape is [var channels, var size, _])
        {
            // A linear model on branch A's normalised evaluation pixels: the floor a backbone should clear.
            using var pixels = new RawPixels((int)size, (int)channels);
            var f = Features("raw-pixels", pixels, BranchSide.A);
            using (f.Train) using (f.Val) Probe("raw-pixels", f, 0);
        }
        using (var writer = new StreamWriter(Path.Combine(run.EvalDir, "linear_probe.csv")))
        using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
            csv.WriteRecords(rows);
        return rows;
    }

    /// <summary>eval/majority_class.csv: the majority-class baseline of the run's data (see <see cref="MajorityBaseline"/>).</summary>
    public static string MajorityPath(RunFolder run) => Path.Combine(run.EvalDir, "majority_class.csv");

    private static void WriteMajority(RunFolder run, MajorityBaseline m)
    {
        Directory.CreateDirectory(run.EvalDir);
        using var writer = new StreamWriter(MajorityPath(run));
        using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
        csv.WriteRecords(new[] { m });
    }

    /// <summary>The majority-class baseline the last probe wrote, or null.</summary>
    public static MajorityBaseline? ReadMajority(RunFolder run)
    {
        if (!File.Exists(MajorityPath(run))) return null;
        try
        {
            using var reader = new StreamReader(MajorityPath(run));
            using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
            return csv.GetRecords<MajorityBaseline>().FirstOrDefault();
        }
        catch (Exception e) when (e is CsvHelperException or IOException) { return null; }
    }

    private static IEnumerable<int> FoldsOf(FeatureSet set, IReadOnlyList<Vicreg.Data.Sample> samples) =>
        (set.Rows ?? Enumerable.Range(0, set.Count).Select(i => (long)i).ToArray()).Select(r => samples[(int)r].Fold);

    private static long[] Positions(int[] folds, Func<int, bool> keep) =>
        Enumerable.Range(0, folds.Length).Where(i => keep(folds[i])).Select(i => (long)i).ToArray();

    private static double StdDev(IReadOnlyList<double> xs)
    {
        double mean = xs.Average();
        return Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / Math.Max(1, xs.Count - 1));
    }
}
