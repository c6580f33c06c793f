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

/// <summary>One row of eval/knn.csv.</summary>
public sealed record KnnRow(string Backbone, int K, double Temperature, double Top1, double Top5, int Train, int Val, long Step);

/// <summary>Offline kNN of the frozen backbone(s) on held-out data. Features are cached in eval/ under the same
/// names as the linear probe's, so either job reuses what the other extracted.</summary>
public static class KnnEvalJob
{
    public static IReadOnlyList<KnnRow> Run(ExperimentConfig c, RunFolder run, JointEmbedding model, long step, string tag, Device device,
        ImageDataSets data, KnnOptions options, Action<string> info)
    {
        if (data.Val is null)
            throw new InvalidOperationException("kNN evaluation needs held-out images: set data.val (a folder with the same class subfolders as data.train)");
        string key = ConfigHash.OfTraining(c);
        using var trainLoader = new ImageLoader(data.Train, log: new LineWriter(info), options: ImageDataSets.DecodeOptions(c.Data));
        using var valLoader = new ImageLoader(data.Val, log: new LineWriter(info), options: ImageDataSets.DecodeOptions(c.Data));
        var rows = new List<KnnRow>();
        void Evaluate(string name, Encoder encoder)
        {
            info($"kNN ({name}): features of {data.Train.Count} train + {data.Val.Count} val images");
            using var train = FeatureExtractor.Extract(encoder, trainLoader, data.Train, c.Data.ImageSize, device, FeatureCachePath(run, name, key, "train"));
            using var val = FeatureExtractor.Extract(encoder, valLoader, data.Val, c.Data.ImageSize, device, FeatureCachePath(run, name, key, "val"));
            var r = KnnClassifier.Evaluate(train, val, data.Train.Classes.Count, options);
            rows.Add(new KnnRow(name, r.K, options.Temperature, r.Top1, r.Top5, r.TrainCount, r.ValCount, step));
        }
        Evaluate(model.Shared ? $"pretrained-{tag}" : $"pretrained-a-{tag}", model.A.Encoder);
        if (!model.Shared) Evaluate($"pretrained-b-{tag}", model.B.Encoder);
        using (var writer = new StreamWriter(Path.Combine(run.EvalDir, "knn.csv")))
        using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
            csv.WriteRecords(rows);
        return rows;
    }

    /// <summary>eval/features-&lt;backbone&gt;-&lt;training hash&gt;-&lt;split&gt;.bin, as <see cref="LinearEvalJob"/> names them.</summary>
    public static string FeatureCachePath(RunFolder run, string backbone, string key, string split) =>
        Path.Combine(run.EvalDir, $"features-{backbone}-{key}-{split}.bin");
}
