using TorchSharp;
using System.Globalization;
using CsvHelper;
using Vicreg.Data;
using Vicreg.Encoders;
using Vicreg.Training.Config;
using Vicreg.Training.Evaluation;
using Vicreg.Training.Model;
using Vicreg.Training.Runs;
using static TorchSharp.torch;

namespace Vicreg.Training.Jobs;

/// <summary>One row of eval/linear_probe.csv.</summary>
public sealed record ProbeRow(string Backbone, double Top1, double Top5, int Train, int Val, long Step);

/// <summary>
/// Linear probe of the frozen backbone on held-out data (both backbones when the branches are unshared),
/// and optionally of the same architecture at its random initialisation (same seed, so the very weights
/// pretraining started from).
/// </summary>
public static class LinearEvalJob
{
    /// <param name="tag">Names the backbone in the rows and feature caches; default step&lt;N&gt;
    /// (weights from a file use "weights-&lt;file&gt;", see <see cref="EvaluationModel"/>).</param>
    public static IReadOnlyList<ProbeRow> Run(ExperimentConfig c, RunFolder run, JointEmbedding trained, long step,
        Device device, ImageDataSets data, Action<string> info, string? tag = null)
    {
        tag ??= $"step{step}";
        // Cached features are valid only for the model and data that made them.
        string key = ConfigHash.OfTraining(c);
        if (data.Val is null)
            throw new InvalidOperationException("linear evaluation needs held-out images: set data.val (a folder with the same class subfolders as data.train)");
        var options = new LinearProbeOptions(c.Eval.Epochs, c.Eval.Lr, c.Eval.WeightDecay, c.Eval.BatchSize, Seed: c.Seed);
        using var trainLoader = new ImageLoader(data.Train, log: new LineWriter(info));
        using var valLoader = new ImageLoader(data.Val, log: new LineWriter(info));
        var rows = new List<ProbeRow>();

        ProbeRow Probe(string tag, Encoder encoder)
        {
            info($"linear probe ({tag}): extracting features of {data.Train.Count} train + {data.Val.Count} val images");
            using var train = FeatureExtractor.Extract(encoder, trainLoader, data.Train, c.Data.ImageSize, device, Path.Combine(run.EvalDir, $"features-{tag}-{key}-train.bin"));
            using var val = FeatureExtractor.Extract(encoder, valLoader, data.Val, c.Data.ImageSize, device, Path.Combine(run.EvalDir, $"features-{tag}-{key}-val.bin"));
            var r = LinearProbe.Fit(train, val, data.Train.Classes.Count, options);
            Plots.EmbeddingMaps.AfterProbe(c, run, tag, val, data.Train.Classes, info);
            return new ProbeRow(tag, r.Top1, r.Top5, r.TrainCount, r.ValCount, tag.StartsWith("random-init", StringComparison.Ordinal) ? 0 : step);
        }

        string suffix = trained.Shared ? "" : "-a";
        rows.Add(Probe($"pretrained{suffix}-{tag}", trained.A.Encoder));
        if (!trained.Shared) rows.Add(Probe($"pretrained-b-{tag}", trained.B.Encoder));
        if (c.Eval.CompareRandomInit)
        {
            manual_seed(c.Seed);
            using var init = ModelFactory.Build(c.Model).to(device);
            rows.Add(Probe($"random-init{suffix}", init.A.Encoder));
            if (!init.Shared) rows.Add(Probe("random-init-b", init.B.Encoder));
        }
        using (var writer = new StreamWriter(Path.Combine(run.EvalDir, "linear_probe.csv")))
        using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
            csv.WriteRecords(rows);
        return rows;
    }
}
