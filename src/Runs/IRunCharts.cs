using Vicreg.Training.Config;
using Vicreg.Training.Evaluation;
using Vicreg.Training.Runs;

namespace Vicreg.Runs;

/// <summary>
/// The pictures of a run, drawn by whoever holds a plotting library (the vicreg tool's PNG plots). The run
/// library itself draws nothing, so that it carries no plotting dependency; without charts a run writes its
/// numbers only.
/// </summary>
public interface IRunCharts
{
    /// <summary>The curves of a finished run (output.plots); returns the files written.</summary>
    IReadOnlyList<string> DrawRun(RunFolder run);

    /// <summary>Where a probe finishes: the embedding map of one backbone's held-out features.</summary>
    string? AfterProbe(ExperimentConfig c, RunFolder run, string tag, FeatureSet heldOut, IReadOnlyList<string> classes, Action<string> info);

    /// <summary>A probe's per-class accuracy and confusion matrix in <paramref name="folder"/>; returns a line naming the files.</summary>
    string WritePerClass(string folder, string backbone, IReadOnlyList<string> classes, IReadOnlyList<long> labels, IReadOnlyList<long> predictions);
}
