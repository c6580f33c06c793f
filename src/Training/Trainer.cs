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
/// other than 0 of a multi-process run, which reads the run folder's checkpoints but writes neither them nor stats.csv.</summary>
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
    bool WritesRun = true);

/// <summary>
/// The pretraining loop: two views → two branches → method loss → optimizer step at the scheduled lr.
/// Resumes from the newest checkpoint in the run folder (mid-epoch too), logs every step to stats.csv,
/// checkpoints every epoch, every <see cref="TrainerParts.CheckpointEverySteps"/> steps, and when asked
/// to stop. Works the same for shared and unshared branches and any modality pairing.
/// </summary>
public sealed class Trainer
{
    private readonly TrainerParts p;
    private readonly ITrainingObserver observer;
    private readonly (string Name, Tensor Parameter)[] parameters;
    private readonly IReadOnlyList<IEpochHook> hooks;
    private readonly IStepExecutor executor;

    public Trainer(TrainerParts parts, ITrainingObserver? observer = null, IReadOnlyList<IEpochHook>? hooks = null)
    {
        p = parts;
        this.observer = observer ?? NullObserver.Instance;
        this.hooks = hooks ?? Array.Empty<IEpochHook>();
        parameters = parts.Model.named_parameters().Select(x => (x.name, (Tensor)x.parameter)).ToArray();
        // Where the forward/backward runs (one device or replicas) and in which precision; fp32 on one device by default.
        executor = parts.Executor ?? new SingleDeviceExecutor(parts.Model, parts.Method, parts.Device);
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
        var resumed = Checkpoints.TryRestoreLatest(p.Run, p.Model, p.Optimizer, observer.Info);
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
        observer.Started(new TrainingPlan(firstEpoch, p.Schedule.Epochs, data.BatchesPerEpoch, step, p.Schedule.BatchSize, p.Device.ToString()));

        using var stats = p.WritesRun ? StatsLog.Open(p.Run.StatsPath, keepStepsBelow: step) : null;
        for (int epoch = firstEpoch; epoch < p.Schedule.Epochs; epoch++, skip = 0)
        {
            // torch's own generator restarts from (seed, epoch); mid-epoch, it was restored from the checkpoint.
            if (skip == 0) manual_seed(SeedMix.Seed32(p.Seed, epoch, 0x70C4));
            p.Model.train();
            double lossSum = 0;
            int batch = skip;
            foreach (var pair in data.Epoch(epoch, skip))
            {
                var row = TrainStep(pair, epoch, step);
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
            p.KeepCheckpoints);

    private StepStats TrainStep(TwoViewBatch pair, int epoch, long step)
    {
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        using (pair)
        {
            double lr = p.Schedule.At(step);
            p.Optimizer.ZeroGrad();
            using var loss = executor.LossAndGradients(pair.ViewA, pair.ViewB);
            var v = loss.Values();
            Guard(step, loss, v);
            GuardGradients(step);
            p.Optimizer.Step(lr);
            (p.Method as IAfterOptimizerStep)?.AfterOptimizerStep(p.Model, step, p.Schedule.TotalSteps);
            double seconds = clock.Elapsed.TotalSeconds;
            return new StepStats(epoch, step, lr, v.Total, v.Invariance, v.Variance, v.Covariance, pair.Count / seconds, seconds);
        }
    }

    /// <summary>Stops before a non-finite gradient reaches the weights, naming the first bad parameter.</summary>
    private void GuardGradients(long step)
    {
        using var scope = NewDisposeScope();
        var finite = parameters.Where(x => x.Parameter.grad is not null).Select(x => x.Parameter.grad!.isfinite().all()).ToArray();
        if (finite.Length == 0 || stack(finite).all().item<bool>()) return;
        var bad = parameters.First(x => x.Parameter.grad is not null && !x.Parameter.grad.isfinite().all().item<bool>());
        throw new TrainingDivergedException(step, $"the gradient of {bad.Name}", double.NaN);
    }

    /// <summary>Stops before a non-finite loss reaches the weights, naming the first bad term.</summary>
    private static void Guard(long step, MethodLoss loss, (double Total, double Invariance, double Variance, double Covariance) v)
    {
        if (double.IsFinite(v.Total)) return;
        var (term, value) =
            loss.Invariance is not null && !double.IsFinite(v.Invariance) ? ("invariance", v.Invariance) :
            loss.Variance is not null && !double.IsFinite(v.Variance) ? ("variance", v.Variance) :
            loss.Covariance is not null && !double.IsFinite(v.Covariance) ? ("covariance", v.Covariance) :
            ("loss", v.Total);
        throw new TrainingDivergedException(step, term, value);
    }
}
