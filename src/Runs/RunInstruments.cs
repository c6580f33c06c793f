using Vicreg.Training;
using Vicreg.Training.Sources;
using Vicreg.Encoders;
using Vicreg.Training.Config;
using Vicreg.Training.Evaluation;
using Vicreg.Training.Logging;
using Vicreg.Training.Runs;
using static TorchSharp.torch;

namespace Vicreg.Runs;

/// <summary>
/// What a pretraining run records besides stats.csv and checkpoints, as the config asks: TensorBoard
/// (output.tensorboard), collapse diagnostics every epoch (eval.diagnostics), online kNN (eval.knn_every), online retrieval (eval.retrieval_every)
/// and the PNG plots at the end (output.plots). Each piece can be turned off on its own.
/// </summary>
public sealed class RunInstruments : IDisposable
{
    private readonly ExperimentConfig config;
    private readonly RunFolder run;
    private readonly IScalarLog log;
    private readonly List<IDisposable> owned = new();

    private RunInstruments(ExperimentConfig c, RunFolder run, IScalarLog log, ITrainingObserver observer, List<IEpochHook> hooks)
    {
        config = c;
        this.run = run;
        this.log = log;
        Observer = observer;
        Hooks = hooks;
    }

    public ITrainingObserver Observer { get; }
    public IReadOnlyList<IEpochHook> Hooks { get; }
    public DiagnosticsHook? Diagnostics => Hooks.OfType<DiagnosticsHook>().FirstOrDefault();

    public static RunInstruments Create(ExperimentConfig c, RunFolder run, PretrainData data, Device device, ITrainingObserver console)
    {
        IScalarLog log = c.Output.Tensorboard ? new TensorBoardLog(run.Root) : NullScalarLog.Instance;
        var observer = c.Output.Tensorboard ? new FanOutObserver(console, new ScalarLogObserver(log)) : console;
        var hooks = new List<IEpochHook>();
        var instruments = new RunInstruments(c, run, log, observer, hooks);
        if (c.Eval.Diagnostics)
            hooks.Add(new DiagnosticsHook(run, () => data.DiagnosticViews(c.Eval.DiagnosticsSamples), device,
                new CollapseThresholds(Gamma: c.Loss.Gamma), log));
        if (c.Eval.KnnEvery > 0)
        {
            if (data.KnnFeatures(device) is not { } features)
                console.Info("eval.knn_every is set but there is no held-out data (data.val): online kNN is off");
            else
                hooks.Add(new KnnHook(run, c.Eval.KnnEvery, data.Classes, features, new KnnOptions(c.Eval.KnnK, c.Eval.KnnTemperature), log));
        }
        if (c.Eval.RetrievalEvery > 0)
        {
            if (data.HeldOutEmbeddings(device) is not { } embeddings)
                console.Info("eval.retrieval_every is set but there is no held-out data (data.val): online retrieval is off");
            else
                hooks.Add(new RetrievalHook(run, c.Eval.RetrievalEvery, model => RetrievalNames.Of(c, model), embeddings, log));
        }
        return instruments;
    }

    /// <summary>Draws the plots (output.plots) with <paramref name="charts"/> and returns the files written.</summary>
    public IReadOnlyList<string> Finish(Action<string> info, IRunCharts? charts)
    {
        if (!config.Output.Plots || charts is null) return Array.Empty<string>();
        var files = charts.DrawRun(run);
        if (files.Count > 0) info($"plots: {string.Join(", ", files.Select(Path.GetFileName))} in {run.PlotsDir}");
        return files;
    }

    public void Dispose()
    {
        foreach (var d in owned) d.Dispose();
        log.Dispose();
    }
}
