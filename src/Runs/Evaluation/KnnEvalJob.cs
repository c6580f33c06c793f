using System.Globalization;
using CsvHelper;
using Vicreg.Training.Sources;
using Vicreg.Encoders;
using Vicreg.Training.Config;
using Vicreg.Training.Evaluation;
using Vicreg.Training.Model;
using Vicreg.Training.Runs;
using static TorchSharp.torch;

namespace Vicreg.Runs.Evaluation;

/// <summary>One row of eval/knn.csv.</summary>
public sealed record KnnRow(string Backbone, int K, double Temperature, double Top1, double Top5, int Train, int Val, long Step);

/// <summary>Offline kNN of the frozen backbone(s) on held-out data. Features are cached in eval/ under the same
/// names as the linear probe's, so either job reuses what the other extracted.</summary>
public static class KnnEvalJob
{
    public static IReadOnlyList<KnnRow> Run(ExperimentConfig c, RunFolder run, JointEmbedding model, long step, string tag, Device device,
        RunData data, KnnOptions options, Action<string> info)
    {
        var held = data.Splits.HeldOut ?? throw new InvalidOperationException(
            "kNN evaluation needs held-out data: set data.val (the same classes as data.train)");
        var trainSet = data.Splits.Train;
        string key = ConfigHash.OfTraining(c);
        var rows = new List<KnnRow>();
        void Evaluate(string name, Encoder encoder, BranchSide side)
        {
            info($"kNN ({name}): features of {trainSet.Count} train + {held.Count} held-out samples");
            using var train = FeatureExtractor.Extract(encoder, trainSet, data.Input(side, trainSet), device, FeatureCachePath(run, name, key, "train"));
            using var val = FeatureExtractor.Extract(encoder, held, data.Input(side, held), device, FeatureCachePath(run, name, key, "val"));
            var r = KnnClassifier.Evaluate(train, val, data.Classes, options);
            rows.Add(new KnnRow(name, r.K, options.Temperature, r.Top1, r.Top5, r.TrainCount, r.ValCount, step));
        }
        if (model.Shared) Evaluate(BackboneTags.Shared("pretrained", tag), model.A.Encoder, BranchSide.A);
        else
        {
            Evaluate(BackboneTags.Branch("pretrained", 'a', model, tag), model.A.Encoder, BranchSide.A);
            Evaluate(BackboneTags.Branch("pretrained", 'b', model, tag), model.B.Encoder, BranchSide.B);
        }
        using (var writer = new StreamWriter(Path.Combine(run.EvalDir, "knn.csv")))
        using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
            csv.WriteRecords(rows);
        return rows;
    }

    /// <summary>eval/features-&lt;backbone&gt;-&lt;training hash&gt;-&lt;split&gt;.bin, as <see cref="LinearEvalJob"/> names them.</summary>
    public static string FeatureCachePath(RunFolder run, string backbone, string key, string split) =>
        Path.Combine(run.EvalDir, $"features-{backbone}-{key}-{split}.bin");
}
