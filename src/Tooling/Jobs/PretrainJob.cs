using TorchSharp;
using System.Diagnostics;
using Vicreg.Training;
using Vicreg.Training.Execution;
using Vicreg.Training.Config;
using Vicreg.Training.Methods;
using Vicreg.Training.Model;
using Vicreg.Training.Optim;
using Vicreg.Training.Sources;
using Vicreg.Training.Runs;
using static TorchSharp.torch;

namespace Vicreg.Tooling.Jobs;

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
    /// <summary>Runs the experiment. When <paramref name="stop"/> is signalled, training checkpoints after the
    /// step in progress and throws <see cref="TrainingStoppedException"/>.</summary>
    public static PretrainOutcome Run(ExperimentConfig c, ITrainingObserver observer, CancellationToken stop = default)
    {
        foreach (var warning in ConfigValidator.Warnings(c)) observer.Info(warning);
        var clock = Stopwatch.StartNew();
        var devices = ExecutionSetup.Devices(c); // a device that is not there is refused before anything is said
        ThreadSetup.Apply(c, observer.Info);
        var device = devices[0];
        var run = RunFolder.For(c.Output.RunsDir, c.Name);
        Preflight.RequireWritable(run.Root);
        using var runLock = RunLock.Acquire(run, observer.Info);
        string configJson = ConfigLoader.Serialize(c);
        File.WriteAllText(run.ConfigPath, configJson);
        using var data = PretrainData.Prepare(c, observer.Info, Path.Combine(run.Root, "index"));

        manual_seed(c.Seed);
        using var model = ModelFactory.Build(c.Model, c.Method);
        Preflight.RequireFreeSpace(run.Root, Preflight.CheckpointBytes(model.parameters().Sum(t => t.numel()), c.Output.KeepCheckpoints),
            $"{c.Output.KeepCheckpoints + 1} checkpoints of this model");
        model.to(device);
        using var optimizer = CreateOptimizer(c.Optim, model);
        var pairs = PinnedBatches.For(data.Pairs, device); // on a GPU: pinned one batch ahead, copied without blocking
        var schedule = new LrSchedule(c.Optim.BaseLr, c.Optim.BatchSize, c.Optim.Epochs, c.Optim.WarmupEpochs,
            pairs.BatchesPerEpoch, c.Optim.EndLrRatio, c.Optim.ScaleLrWithBatch);
        var method = MethodCatalog.Create(c);
        using var executor = ExecutionSetup.Create(c, model, method, devices);
        if (devices.Count > 1 || c.Precision != "fp32") observer.Info($"running on {executor.Description}");
        foreach (var warning in ExecutionSetup.Warnings(c)) observer.Info(warning);
        var parts = new TrainerParts(model, method, optimizer, schedule, device, run,
            c.Seed, ConfigHash.OfTraining(c), c.Output.KeepCheckpoints, c.Output.CheckpointEverySteps, executor);
        using var instruments = RunInstruments.Create(c, run, data, device, observer);
        long steps = new Trainer(parts, instruments.Observer, instruments.Hooks).Fit(pairs, stop);
        data.ReportLoader(observer.Info);

        IReadOnlyList<ProbeRow> probes = Array.Empty<ProbeRow>();
        if (c.Eval.LinearProbe)
            probes = LinearEvalJob.Run(c, run, model, schedule.TotalSteps, device, data.Data, observer.Info);
        IReadOnlyList<RetrievalRow>? retrieval = null;
        if (c.Eval.Retrieval)
            retrieval = RetrievalJob.Run(c, run, model, schedule.TotalSteps, device, data.Data, observer.Info);
        instruments.Finish(observer.Info);
        return new PretrainOutcome(run, steps, schedule.TotalSteps, probes, data.SkippedFiles, clock.Elapsed, retrieval, data.SkippedPairs);
    }

    /// <summary>The parameters the optimizer updates: all but frozen ones (BYOL's momentum target).</summary>
    static IEnumerable<TorchSharp.Modules.Parameter> Trainable(JointEmbedding model) => model.parameters().Where(p => p.requires_grad);

    public static IStepOptimizer CreateOptimizer(OptimConfig o, JointEmbedding model) => o.Name switch
    {
        "lars" => new Lars(Trainable(model), o.WeightDecay, o.Momentum, o.Eta),
        "adamw" => new AdamWOptimizer(Trainable(model), o.WeightDecay),
        _ => throw new ArgumentException($"optim.name: unknown optimizer \"{o.Name}\""),
    };
}
