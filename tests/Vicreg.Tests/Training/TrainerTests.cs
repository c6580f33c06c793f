using Vicreg.Training;
using Vicreg.Runs;
using Vicreg.Training.Runs;

namespace Vicreg.Tests.Training;

public class TrainerTests
{
    private static List<StepStats> Stats(PretrainOutcome o) => StatsLog.Read(o.Run.StatsPath);

    private static double[] LossColumn(List<StepStats> rows) => rows.Select(r => r.Loss).ToArray();

    [Fact]
    public void TheSameSeedWritesIdenticalLossColumns()
    {
        using var tiny = new TinyExperiment();
        var first = Stats(PretrainJob.Run(tiny.Config("a"), NullObserver.Instance));
        var second = Stats(PretrainJob.Run(tiny.Config("b"), NullObserver.Instance));
        Assert.Equal(12, first.Count); // 3 epochs × (32 images / batch 8)
        Assert.Equal(LossColumn(first), LossColumn(second));
        Assert.Equal(first.Select(r => r.Term("invariance")), second.Select(r => r.Term("invariance")));
        Assert.Equal(first.Select(r => r.Term("covariance")), second.Select(r => r.Term("covariance")));
        Assert.Equal(first.Select(r => r.Lr), second.Select(r => r.Lr));
        Assert.True(first.All(r => double.IsFinite(r.Loss) && r.SamplesPerSecond > 0 && r.Seconds > 0));

        var third = Stats(PretrainJob.Run(tiny.Config("c", "seed=4"), NullObserver.Instance));
        Assert.NotEqual(LossColumn(first), LossColumn(third));
    }

    [Fact]
    public void AStoppedRunResumesFromItsLastCheckpointAndContinuesExactly()
    {
        using var tiny = new TinyExperiment();
        var reference = Stats(PretrainJob.Run(tiny.Config("uninterrupted"), NullObserver.Instance));

        var config = tiny.Config("interrupted");
        var stopper = new StopAtStep(5); // the second step of the second epoch (4 steps per epoch)
        var stopped = Assert.Throws<TrainingStoppedException>(() => PretrainJob.Run(config, stopper, stopper.Token));
        Assert.Equal(6, stopped.Step); // the step in progress finished, then a checkpoint was written
        var run = RunFolder.For(config.Output.RunsDir, config.Name);
        Assert.Equal(new[] { "step-000000004", "step-000000006" }, Checkpoints.Complete(run).Select(Path.GetFileName));

        var observer = new Recorder();
        var resumed = PretrainJob.Run(config, observer);
        Assert.Contains(observer.Lines, l => l.Contains("resuming at epoch 2, batch 2 (step 6)"));
        Assert.Equal(6, observer.FirstStep);
        Assert.Equal(6, resumed.StepsTaken);
        var rows = Stats(resumed);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), rows.Select(r => r.Step));
        Assert.Equal(LossColumn(reference), LossColumn(rows));
    }

    [Fact]
    public void ADamagedNewestCheckpointFallsBackToThePreviousOneAndStillFinishesExactly()
    {
        using var tiny = new TinyExperiment();
        var reference = Stats(PretrainJob.Run(tiny.Config("clean"), NullObserver.Instance));
        var config = tiny.Config("damaged", "output.checkpoint_every_steps=1");
        var stopper = new StopAtStep(5);
        Assert.Throws<TrainingStoppedException>(() => PretrainJob.Run(config, stopper, stopper.Token));
        var run = RunFolder.For(config.Output.RunsDir, config.Name);
        var newest = Checkpoints.Complete(run).Last();
        Assert.EndsWith("step-000000006", newest);
        var model = Path.Combine(newest, "model.bin");
        var bytes = File.ReadAllBytes(model);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(model, bytes);
        Assert.Equal("model.bin does not match its checksum", Checkpoints.Damage(newest));

        var observer = new Recorder();
        var resumed = PretrainJob.Run(config, observer);
        Assert.Contains(observer.Lines, l => l.Contains("is damaged (model.bin does not match its checksum)"));
        Assert.Equal(5, observer.FirstStep);
        Assert.Equal(LossColumn(reference), LossColumn(Stats(resumed)));
    }

    [Fact]
    public void AFinishedRunStartedAgainDoesNothingMore()
    {
        using var tiny = new TinyExperiment();
        var config = tiny.Config("done", "optim.epochs=1");
        PretrainJob.Run(config, NullObserver.Instance);
        var again = PretrainJob.Run(config, NullObserver.Instance);
        Assert.Equal(0, again.StepsTaken);
        Assert.Equal(4, Stats(again).Count);
    }

    [Fact]
    public void UnsharedBranchesTrainAndBothBackbonesAreProbed()
    {
        using var tiny = new TinyExperiment();
        var config = tiny.Config("unshared", "optim.epochs=1", "model.shared=false", "model.branch_b.encoder=resnet34",
            "model.branch_b.expander=32-32", "eval.linear_probe=true", "eval.compare_random_init=true", "eval.epochs=2");
        var outcome = PretrainJob.Run(config, NullObserver.Instance);
        Assert.Equal(new[] { "pretrained-a-image-step4", "pretrained-b-image-step4", "pretrained-concat-step4", "random-init-a-image", "random-init-b-image", "random-init-concat" },
            outcome.Probes.Select(p => p.Backbone));
        Assert.All(outcome.Probes, p => Accuracy.IsHitsOutOf(p.Top1, p.Val, p.Backbone));
        Assert.Equal(4, Stats(outcome).Count);
        var csv = File.ReadAllLines(Path.Combine(outcome.Run.EvalDir, "linear_probe.csv"));
        Assert.Equal(new[] { "Backbone" }.Concat(outcome.Probes.Select(p => p.Backbone)), csv.Select(l => l.Split(',')[0]));
    }

    private sealed class StopAtStep : ITrainingObserver
    {
        private readonly CancellationTokenSource source = new();
        private readonly long stopAfter;
        public StopAtStep(long step) => stopAfter = step;
        public CancellationToken Token => source.Token;
        public void Started(TrainingPlan plan) { }
        public void Step(StepStats stats) { if (stats.Step >= stopAfter) source.Cancel(); }
        public void EpochEnded(int epoch, double meanLoss, string checkpoint) { }
        public void Info(string line) { }
    }

    private sealed class Recorder : ITrainingObserver
    {
        public List<string> Lines { get; } = new();
        public long FirstStep { get; private set; } = -1;
        public void Started(TrainingPlan plan) => FirstStep = plan.FirstStep;
        public void Step(StepStats stats) { }
        public void EpochEnded(int epoch, double meanLoss, string checkpoint) { }
        public void Info(string line) => Lines.Add(line);
    }
}
