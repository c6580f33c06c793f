using Vicreg.Losses;
using System.Diagnostics;
using Vicreg.Data;
using Vicreg.Training.Execution;
using Vicreg.Training.Methods;
using Vicreg.Training.Model;
using Vicreg.Training.Optim;
using Vicreg.Training.Runs;
using static TorchSharp.torch;

namespace Vicreg.Training;

/// <summary>Everything the loop composes. The trainer inherits none of it. <see cref="WritesRun"/> false: a rank
/// other than 0 of a multi-process run, which reads the run folder's checkpoints but writes neither them nor stats.csv.
/// <see cref="Generators"/>: the random generators checkpoints carry (default: the CPU's and <see cref="Device"/>'s).</summary>
public sealed record TrainerParts(
    JointEmbedding Model,
    IMethod Method,
    IStepOptimizer Optimizer,
    LrSchedule Schedule,
    Device Device,
    RunFolder Run,
    int Seed,
    string ConfigHash,
    int KeepCheckpoints = 2,
    int CheckpointEverySteps = 0,
    IStepExecutor? Executor = null,
    bool WritesRun = true,
    IReadOnlyList<GeneratorState>? Generators = null);

/// <summary>
/// The pretraining loop: two views (and any multi-crop local views) → two branches → method loss → optimizer step at the scheduled lr.
/// Resumes from the newest checkpoint in the run folder (mid-epoch too), logs every step to stats.csv,
/// checkpoints every epoch, every <see cref="TrainerParts.CheckpointEverySteps"/> steps, and when asked
/// to stop. Works the same for shared and unshared branches and any modality pairing.
/// </summary>
public sealed class Trainer
{
    private readonly TrainerParts p;
    private readonly ITrainingObserver observer;
    private readonly StepGuard guard;
    private readonly IReadOnlyList<string> termNames;
    private readonly IReadOnlyList<IEpochHook> hooks;
    private readonly IStepExecutor executor;
    private readonly IReadOnlyList<GeneratorState> generators;

    public Trainer(TrainerParts parts, ITrainingObserver? observer = null, IReadOnlyList<IEpochHook>? hooks = null)
    {
        p = parts;
        Vicreg.Core.CpuConvolutions.Apply(); // also for a trainer built without a run (library use)
        this.observer = observer ?? NullObserver.Instance;
        this.hooks = hooks ?? Array.Empty<IEpochHook>();
        guard = new StepGuard(parts.Model.named_parameters().Select(x => (x.name, (Tensor)x.parameter)));
        termNames = parts.Method.Terms.Select(t => t.Name).ToArray();
        // Where the forward/backward runs (one device or replicas) and in which precision; fp32 on one device by default.
        executor = parts.Executor ?? new SingleDeviceExecutor(parts.Model, parts.Method, parts.Device);
        generators = parts.Generators ?? GeneratorStates.For(new[] { parts.Device });
    }

    /// <summary>
    /// Trains until the schedule's last epoch and returns the number of steps taken in this call. When
    /// <paramref name="stop"/> is signalled, the step in progress finishes, a checkpoint is written and
    /// <see cref="TrainingStoppedException"/> is thrown.
    /// </summary>
    public long Fit(IViewPairSource data, CancellationToken stop = default)
    {
        if (data.BatchesPerEpoch != p.Schedule.StepsPerEpoch)
            throw new ArgumentException($"the schedule assumes {p.Schedule.StepsPerEpoch} steps per epoch, the data gives {data.BatchesPerEpoch}");
        var resumed = Checkpoints.TryRestoreLatest(p.Run, p.Model, p.Optimizer, observer.Info, generators);
        if (resumed is not null)
        {
            if (resumed.ConfigHash != p.ConfigHash)
                observer.Info($"warning: the config differs from the one the checkpoint was written with ({p.Run.CheckpointsDir})");
            observer.Info($"resuming at epoch {resumed.Epoch + 1}, batch {resumed.BatchInEpoch} (step {resumed.GlobalStep}) from {p.Run.CheckpointsDir}");
        }
        int firstEpoch = resumed?.Epoch ?? 0;
        int skip = resumed?.BatchInEpoch ?? 0;
        long step = resumed?.GlobalStep ?? 0;
        long startStep = step;
        observer.Started(new TrainingPlan(firstEpoch, p.Schedule.Epochs, data.BatchesPerEpoch, step, p.Schedule.BatchSize, p.Device.ToString(),
            p.Method.Name, p.Method.Terms));

        using var stats = p.WritesRun ? StatsLog.Open(p.Run.StatsPath, keepStepsBelow: step, termNames) : null;
        for (int epoch = firstEpoch; epoch < p.Schedule.Epochs; epoch++, skip = 0)
        {
            // torch's own generator restarts from (seed, epoch); mid-epoch, it was restored from the checkpoint.
            if (skip == 0) manual_seed(SeedMix.Seed32(p.Seed, epoch, 0x70C4));
            p.Model.train();
            double lossSum = 0;
            int batch = skip;
            try
            {
            foreach (var pair in data.Epoch(epoch, skip))
            {
                var row = TrainStep(pair, data, epoch, step);
                stats?.Append(row);
                observer.Step(row);
                lossSum += row.Loss;
                batch++;
                step++;
                bool epochDone = batch == data.BatchesPerEpoch;
                if (stop.IsCancellationRequested && !epochDone)
                    throw new TrainingStoppedException(step, Save(epoch, batch, step));
                if (!epochDone && p.CheckpointEverySteps > 0 && step % p.CheckpointEverySteps == 0)
                    Save(epoch, batch, step);
            }
            }
            catch (Exception e) when (DataSourceLostException.Find(e) is { } lost)
            {
                // The data is gone, not one file: keep what was learned so far, then stop with one line.
                throw new DataSourceLostException($"{lost.Message}; checkpoint written to {Save(epoch, batch, step)}. " +
                    "Restore the data and run the same command again to resume from it", lost);
            }
            var saved = Save(epoch + 1, 0, step);
            foreach (var hook in hooks) hook.EpochEnded(new EpochContext(epoch, p.Schedule.Epochs, step, p.Model, observer.Info));
            observer.EpochEnded(epoch, lossSum / Math.Max(1, batch - skip), saved);
            if (stop.IsCancellationRequested && epoch + 1 < p.Schedule.Epochs) throw new TrainingStoppedException(step, saved);
        }
        return step - startStep;
    }

    private string Save(int epoch, int batchInEpoch, long step) => !p.WritesRun ? p.Run.CheckpointsDir :
        Checkpoints.Save(p.Run, p.Model, p.Optimizer,
            new CheckpointState(epoch, batchInEpoch, step, p.Seed, p.ConfigHash, p.Schedule.At(Math.Max(0, step - 1)), DateTime.UtcNow),
            p.KeepCheckpoints, generators);

    private StepStats TrainStep(TwoViewBatch pair, IViewPairSource data, int epoch, long step)
    {
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        using (pair)
        {
            double lr = p.Schedule.At(step);
            p.Optimizer.ZeroGrad();
            LossTerms loss;
            using (StepGuard.Step())
            {
                var (a, b) = DeviceViews.Finish(pair, p.Device); // data.augment_on device: the rest of the augmentation, here
                loss = executor.LossAndGradients(a, b, pair.Locals);
            }
            using var _ = loss;
            RequireDeclaredTerms(loss);
            LossValues v;
            try { v = guard.Check(step, loss); } // the step's one host read
            catch (TrainingDivergedException e) { throw NameBatch(e, pair, data); }
            p.Optimizer.Step(lr);
            p.Method.AfterOptimizerStep(p.Model, step, p.Schedule.TotalSteps);
            double seconds = clock.Elapsed.TotalSeconds;
            return new StepStats(epoch, step, lr, v.Total, v.Terms, pair.Count / seconds, seconds);
        }
    }

    /// <summary>A diverged step names its batch's files, and writes all of them next to stats.csv so they can be inspected.</summary>
    private TrainingDivergedException NameBatch(TrainingDivergedException e, TwoViewBatch pair, IViewPairSource data)
    {
        var files = pair.Indices.Select(data.Describe).ToArray();
        string? list = null;
        if (p.WritesRun)
        {
            list = Path.Combine(p.Run.Root, "diverged-batch.txt");
            File.WriteAllLines(list, files);
        }
        return e.WithBatch(files, list);
    }

    /// <summary>stats.csv's columns come from <see cref="IMethod.Terms"/>; a loss with other terms is a bug in the method.</summary>
    private void RequireDeclaredTerms(LossTerms loss)
    {
        if (loss.Terms.Count == termNames.Count && loss.Terms.Select(t => t.Name).SequenceEqual(termNames)) return;
        throw new InvalidOperationException($"method {p.Method.Name} declares the terms [{string.Join(", ", termNames)}] " +
            $"but its loss has [{string.Join(", ", loss.Terms.Select(t => t.Name))}]");
    }
}
