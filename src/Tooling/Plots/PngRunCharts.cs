using Vicreg.Runs;
using Vicreg.Training.Config;
using Vicreg.Training.Evaluation;
using Vicreg.Training.Runs;

namespace Vicreg.Tooling.Plots;

/// <summary>The run's pictures as PNG files (ScottPlot): <see cref="RunPlots"/>, <see cref="EmbeddingMaps"/>, <see cref="PerClassReport"/>.</summary>
public sealed class PngRunCharts : IRunCharts
{
    public static readonly PngRunCharts Instance = new();

    public IReadOnlyList<string> DrawRun(RunFolder run) => RunPlots.Draw(run);

    public string? AfterProbe(ExperimentConfig c, RunFolder run, string tag, FeatureSet heldOut, IReadOnlyList<string> classes, Action<string> info) =>
        EmbeddingMaps.AfterProbe(c, run, tag, heldOut, classes, info);

    public string WritePerClass(string folder, string backbone, IReadOnlyList<string> classes, IReadOnlyList<long> labels, IReadOnlyList<long> predictions)
    {
        var written = PerClassReport.Write(folder, backbone, classes, labels, predictions);
        return $"per-class accuracy in {written.PerClassCsv}, confusion matrix in {written.ConfusionCsv} and {written.ConfusionPng}";
    }
}
