using TorchSharp;
using System.Diagnostics;
using Vicreg.Training;
using Vicreg.Core;
using Vicreg.Core.Distributed;
using Vicreg.Training.Distributed;
using Vicreg.Training.Execution;
using Vicreg.Runs.Evaluation;
using Vicreg.Training.Config;
using Vicreg.Training.Methods;
using Vicreg.Training.Model;
using Vicreg.Training.Optim;
using Vicreg.Training.Sources;
using Vicreg.Training.Runs;
using static TorchSharp.torch;

namespace Vicreg.Runs;

/// <summary>What a pretraining run produced.</summary>
public sealed record PretrainOutcome(RunFolder Run, long StepsTaken, long TotalSteps, IReadOnlyList<ProbeRow> Probes,
    int SkippedFiles, TimeSpan Elapsed, IReadOnlyList<RetrievalRow>? Retrieval = null, int SkippedPairs = 0);

/// <summary>
/// VICReg from a config, for any modality pairing: prepare the data (<see cref="PretrainData"/>), build the
/// joint embedding, train (resuming if the run folder has a checkpoint), then run the linear probes and
/// the retrieval the config asks for.
/// </summary>
public static class PretrainJob
{
    /// <summary>Runs an experiment file (its <c>extends</c> chain resolved, then <paramref name="overrides"/> such as
    /// "optim.epochs=1" applied): pretraining, then the evaluations it asks for. The one call a library user needs;
    /// <paramref name="observer"/> hears progress and notices (null: nothing is reported).</summary>
    public static PretrainOutcome Run(string configFile, ITrainingObserver? observer = null, IEnumerable<string>? overrides = null,
        CancellationToken stop = default, IRunCharts? charts = null) =>
        Run(ConfigLoader.LoadFile(configFile, overrides), observer ?? NullObserver.Instance, stop, charts);

    /// <summary>Runs the experiment. When <paramref name="stop"/> is signalled, training checkpoints after the
    /// step in progress and throws <see cref="TrainingStoppedException"/>.</summary>
    /// <param name="charts">Draws the run's pictures (output.plots); null: none.</param>
    public static PretrainOutcome Run(ExperimentConfig c, ITrainingObserver observer, CancellationToken stop = default, IRunCharts? charts = null) =>
        // Launched as several processes (mpirun, srun): rank and world size come from MPI.
        Run(c, observer, ProcessGroup.JoinIfLaunched(), stop, charts);

    /// <summary>The same as one rank of <paramref name="group"/> (null: a single process).</summary>
    public static PretrainOutcome Run(ExperimentConfig c, ITrainingObserver observer, ICollectives? group, CancellationToken stop = default, IRunCharts? charts = null)
    {
        if (group is not null && ProcessSetup.Refusal(c, group.World) is { } refusal) throw new ArgumentException(refusal);
        bool primary = group is null || group.Rank == 0;
        if (!primary) observer = new OtherRankObserver(group!.Rank, observer);
        foreach (var warning in ConfigValidator.Warnings(c)) observer.Info(warning);
        var clock = Stopwatch.StartNew();
        var devices = group is null ? ExecutionSetup.Devices(c) : new[] { ProcessSetup.DeviceFor(c) }; // refused before anything is said
        ThreadSetup.Apply(c, observer.Info);
        var device = devices[0];
        // A run folder that exists is left untouched by a start that fails or trains another config (RunStart).
        var start = primary ? RunStart.Begin(c) : null;
        RunLock? runLock = null;
        try
        {
            var run = RunFolder.For(c.Output.RunsDir, c.Name);
            // Rank 0 alone writes the run folder and holds its lock (one writer per folder); the other ranks only read it.
            if (primary) Preflight.RequireWritable(run.Root);
            runLock = primary ? RunLock.Acquire(run, observer.Info) : null;
            return Train(c, observer, stop, group, primary, devices, device, run, start, clock, charts);
        }
        catch (Exception) when (start is not null && !start.Committed)
        {
            runLock?.Dispose();
            runLock = null;
            start.Abandon();
            throw;
        }
        finally
        {
            runLock?.Dispose();
        }
    }

    private static PretrainOutcome Train(ExperimentConfig c, ITrainingObserver observer, CancellationToken stop, ICollectives? group,
        bool primary, IReadOnlyList<Device> devices, Device device, RunFolder run, RunStart? start, Stopwatch clock, IRunCharts? charts)
    {
        // Rank 0 prepares the data first (synthetic sets are generated on disk, file indexes cached); the others read it after.
        if (!primary) group!.Barrier();
        using var data = PretrainData.Prepare(c, observer.Info, Path.Combine(run.Root, "index"), group?.Rank ?? 0, group?.World ?? 1);
        if (primary) group?.Barrier();

        manual_seed(c.Seed);
        using var model = ModelFactory.Build(c.Model, c.Method);
        if (primary)
            Preflight.RequireFreeSpace(run.Root, Preflight.CheckpointBytes(model.parameters().Sum(t => t.numel()), c.Output.KeepCheckpoints),
                $"{c.Output.KeepCheckpoints + 1} checkpoints of this model");
        model.to(device);
        // Where oneDNN failed the general convolution check here, this run may still use it on its own convolutions.
        using var kernels = devices.All(d => d.type == DeviceType.CPU)
            ? CpuConvolutions.ForRun(() => ConvolutionShapes.Of(model, ModalityCatalog.ViewShapes(c))) : null;
        if (kernels?.Line is { } kernelLine) observer.Info(kernelLine);
        using var optimizer = OptimizerSetup.Create(c.Optim, model);
        var pairs = PinnedBatches.For(data.Pairs, device); // on a GPU: pinned one batch ahead, copied without blocking
        var schedule = new LrSchedule(c.Optim.BaseLr, c.Optim.BatchSize, c.Optim.Epochs, c.Optim.WarmupEpochs,
            pairs.BatchesPerEpoch, c.Optim.EndLrRatio, c.Optim.ScaleLrWithBatch);
        var method = MethodCatalog.Create(c);
        using var executor = group is null ? ExecutionSetup.Create(c, model, method, devices) : ProcessSetup.Create(c, model, method, device, group, stop);
        if (executor is DistributedExecutor distributed) stop = distributed.AgreedStop; // every rank stops after the same step
        if (devices.Count > 1 || c.Precision != "fp32" || group is not null) observer.Info($"running on {executor.Description}");
        foreach (var warning in ExecutionSetup.Warnings(c)) observer.Info(warning);
        // Written only now that the data and the model are ready: a start that fails validation changes no run.
        start?.WriteConfig(run, c);
        var parts = new TrainerParts(model, method, optimizer, schedule, device, run,
            c.Seed, ConfigHash.OfTraining(c), c.Output.KeepCheckpoints, c.Output.CheckpointEverySteps, executor, WritesRun: primary,
            Generators: GeneratorStates.For(devices));
        // TensorBoard, diagnostics, kNN, plots and the probes: rank 0 alone.
        using var instruments = primary ? RunInstruments.Create(c, run, data, device, observer) : null;
        long steps = new Trainer(parts, instruments?.Observer ?? observer, instruments?.Hooks).Fit(pairs, stop);
        data.ReportLoader(observer.Info);

        IReadOnlyList<ProbeRow> probes = Array.Empty<ProbeRow>();
        if (c.Eval.LinearProbe && primary)
            probes = LinearEvalJob.Run(c, run, model, schedule.TotalSteps, device, data.Data, observer.Info, charts: charts);
        IReadOnlyList<RetrievalRow>? retrieval = null;
        if (c.Eval.Retrieval && primary) // every rank holds the same weights; one writes eval/retrieval.csv
            retrieval = RetrievalJob.Run(c, run, model, schedule.TotalSteps, device, data.Data, observer.Info);
        instruments?.Finish(observer.Info, charts);
        return new PretrainOutcome(run, steps, schedule.TotalSteps, probes, data.SkippedFiles, clock.Elapsed, retrieval, data.SkippedPairs);
    }
}
