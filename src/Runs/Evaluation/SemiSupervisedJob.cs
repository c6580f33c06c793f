using System.Globalization;
using Vicreg.Data;
using Vicreg.Data.Views;
using Vicreg.Training.Sources;
using Vicreg.Training.Config;
using Vicreg.Training.Evaluation;
using Vicreg.Training.Runs;

namespace Vicreg.Runs.Evaluation;

/// <summary>One row of eval/semi_supervised.csv.</summary>
public sealed record SemiSupervisedRow(string Backbone, double Percent, double Top1, double Top5, int Labelled, int Val,
    double LrBackbone, double LrHead, int Epochs, long Step);

/// <summary>
/// Semi-supervised evaluation: fine-tune branch A's backbone with a linear head on a deterministic p% of the
/// training labels (the list is written to eval/subset-&lt;p&gt;pct.txt and reused when it exists), then
/// classify the held-out images. The model is changed in place.
/// </summary>
public static class SemiSupervisedJob
{
    public static SemiSupervisedRow Run(ExperimentConfig c, RunFolder run, EvaluationModel model, TorchSharp.torch.Device device, RunData data,
        FineTuneOptions options, Action<string> info, string? subsetFile = null)
    {
        var train = data.Splits.Train;
        var val = data.Splits.HeldOut ?? throw new InvalidOperationException(
            "semi-supervised evaluation needs held-out images: set data.val (a folder with the same class subfolders as data.train)");
        if (data.RecipeA is not ImageViewRecipe recipe)
            throw new InvalidOperationException($"semi-supervised evaluation fine-tunes image backbones; branch A takes {data.RecipeA.Modality}");
        string listPath = subsetFile ?? SubsetPath(run, options.Percent);
        IReadOnlyList<int> subset;
        if (File.Exists(listPath))
        {
            subset = LabelSubset.Read(listPath, train);
            info($"labelled subset: {subset.Count} images from {listPath}");
        }
        else
        {
            subset = LabelSubset.Select(train, options.Percent, c.Seed);
            LabelSubset.Write(listPath, train, subset);
            info($"labelled subset: {subset.Count} of {train.Count} images ({options.Percent:G}% per class, seed {c.Seed}), listed in {listPath}");
        }
        using var trainLoader = new ImageLoader(train, c.Data.CacheDecoded, new LineWriter(info), options: ImageModality.DecodeOptions(c.Data));
        using var valLoader = new ImageLoader(val, log: new LineWriter(info), options: ImageModality.DecodeOptions(c.Data));
        // The official fine-tuning crops: RandomResizedCrop and a horizontal flip, nothing else.
        var view = new ViewAugmentation(Size: recipe.Train.Size, ScaleMin: recipe.Train.ScaleMin, JitterP: 0, GrayscaleP: 0, BlurP: 0, SolarizeP: 0);
        var r = FineTuner.Run(model.Model.A.Encoder, trainLoader, train, subset, valLoader, val, train.Classes.Count, view, device,
            options, (epoch, loss) => info($"fine-tune epoch {epoch + 1}/{options.Epochs}: loss {loss:F4}"));
        var row = new SemiSupervisedRow($"finetuned-{model.Tag}", options.Percent, r.Top1, r.Top5, r.TrainCount, r.ValCount,
            options.LrBackbone, options.LrHead, options.Epochs, model.Step);
        AppendRow(Path.Combine(run.EvalDir, "semi_supervised.csv"), row);
        return row;
    }

    public static string SubsetPath(RunFolder run, double percent) =>
        Path.Combine(run.EvalDir, $"subset-{percent.ToString("G", CultureInfo.InvariantCulture)}pct.txt");

    private static void AppendRow(string path, SemiSupervisedRow r)
    {
        bool header = !File.Exists(path);
        using var w = new StreamWriter(path, append: true);
        if (header) w.WriteLine("backbone,percent,top1,top5,labelled,val,lr_backbone,lr_head,epochs,step");
        w.WriteLine(string.Join(",", new object[] { r.Backbone, r.Percent, r.Top1, r.Top5, r.Labelled, r.Val, r.LrBackbone, r.LrHead, r.Epochs, r.Step }
            .Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))));
    }
}
