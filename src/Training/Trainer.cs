using System.Diagnostics;
using Vicreg.Data;
using Vicreg.Training.Methods;
using Vicreg.Training.Model;
using Vicreg.Training.Optim;
using Vicreg.Training.Pipeline;
using Vicreg.Training.Runs;
using static TorchSharp.torch;

namespace Vicreg.Training;

/// <summary>Everything the loop composes. The trainer inherits none of it.</summary>
public sealed record TrainerParts(
    JointEmbedding Model,
    IMethod Method,
    IStepOptimizer Optimizer,
    LrSchedule Schedule,
    Device Device,
    RunFolder Run,
    int Seed,
    string ConfigHash,
    int KeepCheckpoints = 2);

/// <summary>
/// The pretraining loop: two views → two branches → method loss → optimizer step at the scheduled lr.
/// Resumes from the newest checkpoint in the run folder, logs every step to stats.csv, checkpoints
/// every epoch. Works the same for shared and unshared branches and any modality pairing.
/// </summary>
public sealed class Trainer
{
    private readonly TrainerParts p;
    private readonly ITrainingObserver observer;

    public Trainer(TrainerParts parts, ITrainingObserver? observer = null)
    {
        p = parts;
        this.observer = observer ?? NullObserver.Instance;
    }

    /// <summary>Trains until the schedule's last epoch. Returns the number of steps taken in this call.</summary>
    public long Fit(IViewPairSource data, CancellationToken cancel = default)
    {
        if (data.BatchesPerEpoch != p.Schedule.StepsPerEpoch)
            throw new ArgumentException($"the schedule assumes {p.Schedule.StepsPerEpoch} steps per epoch, the data gives {data.BatchesPerEpoch}");
        var resumed = Checkpoints.TryRestoreLatest(p.Run, p.Model, p.Optimizer);
        if (resumed is not null)
        {
            if (resumed.ConfigHash != p.ConfigHash)
                observer.Info($"warning: the config differs from the one the checkpoint was written with ({p.Run.CheckpointsDir})");
            observer.Info($"resuming from epoch {resumed.EpochsCompleted} (step {resumed.GlobalStep}) in {p.Run.Root}");
        }
        int firstEpoch = resumed?.EpochsCompleted ?? 0;
        long step = resumed?.GlobalStep ?? 0;
        long startStep = step;
        observer.Started(new TrainingPlan(firstEpoch, p.Schedule.Epochs, data.BatchesPerEpoch, step, p.Schedule.BatchSize, p.Device.ToString()));

        using var stats = StatsLog.Open(p.Run.StatsPath, keepStepsBelow: step);
        for (int epoch = firstEpoch; epoch < p.Schedule.Epochs; epoch++)
        {
            // torch's own generator (dropout, stochastic depth, …) restarts from (seed, epoch): resume-exact.
            manual_seed(SeedMix.Seed32(p.Seed, epoch, 0x70C4));
            p.Model.train();
            double lossSum = 0;
            int batches = 0;
            foreach (var pair in data.Epoch(epoch))
            {
                cancel.ThrowIfCancellationRequested();
                var row = TrainStep(pair, epoch, step);
                stats.Append(row);
                observer.Step(row);
                lossSum += row.Loss;
                batches++;
                step++;
            }
            double lr = p.Schedule.At(Math.Max(0, step - 1));
            var saved = Checkpoints.Save(p.Run, p.Model, p.Optimizer,
                new CheckpointState(epoch + 1, step, p.Seed, p.ConfigHash, lr, DateTime.UtcNow), p.KeepCheckpoints);
            observer.EpochEnded(epoch, lossSum / Math.Max(1, batches), saved);
        }
        return step - startStep;
    }

    private StepStats TrainStep(ViewPair pair, int epoch, long step)
    {
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        using (pair)
        {
            var a = pair.ViewA.to(p.Device);
            var b = pair.ViewB.to(p.Device);
            var (za, zb) = p.Model.call(a, b);
            using var loss = p.Method.Compute(za, zb);
            double lr = p.Schedule.At(step);
            p.Optimizer.ZeroGrad();
            loss.Total.backward();
            var v = loss.Values();
            Guard(step, loss, v);
            p.Optimizer.Step(lr);
            double seconds = clock.Elapsed.TotalSeconds;
            return new StepStats(epoch, step, lr, v.Total, v.Invariance, v.Variance, v.Covariance, pair.Count / seconds, seconds);
        }
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
