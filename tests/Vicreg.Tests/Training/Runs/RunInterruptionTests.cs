using Vicreg.Data;
using Vicreg.Data.Audio;
using Vicreg.Training;
using Vicreg.Training.Config;
using Vicreg.Runs;
using Vicreg.Training.Runs;

namespace Vicreg.Tests.Training.Runs;

/// <summary>A full disk while a checkpoint is written, and a data folder that vanishes mid-run: each stops the run
/// with one line, keeps a checkpoint it can resume from, and leaves no half-written state behind.</summary>
public class RunInterruptionTests
{
    private static ExperimentConfig Tiny(string data, string runs, int epochs) => ConfigLoader.Parse("{}", "tiny.json", new[]
    {
        "name=interrupted", "device=cpu", "data.kind=synthetic-images", $"data.synthetic.root={data}", "data.synthetic.classes=2",
        "data.synthetic.train_per_class=4", "data.synthetic.val_per_class=1", "data.synthetic.size=16", "data.image_size=16", "data.workers=1",
        "model.branch_a.encoder=resnet18", "model.branch_a.base_width=4", "model.branch_a.expander=8-8", "optim.batch_size=4",
        $"optim.epochs={epochs}", "optim.warmup_epochs=0", "eval.diagnostics=false", "output.tensorboard=false", "output.plots=false",
        $"output.runs_dir={runs}",
    });

    /// <summary>Calls an action once, at the given step or epoch end.</summary>
    private sealed class Trigger(Action? atStep2 = null, Action? afterEpoch0 = null) : ITrainingObserver
    {
        public readonly List<string> Lines = new();
        public void Info(string line) { lock (Lines) Lines.Add(line); }
        public void Started(TrainingPlan plan) { }
        public void Step(StepStats stats) { if (stats.Step == 2) atStep2?.Invoke(); }
        public void EpochEnded(int epoch, double meanLoss, string checkpoint) { if (epoch == 0) afterEpoch0?.Invoke(); }
    }

    [TmpfsFact]
    public void AFullDiskDuringACheckpointKeepsThePreviousOneAndStopsWithOneLine()
    {
        using var dir = new TempDir();
        string runs = dir.Combine("runs");
        using var mount = TmpfsFactAttribute.Mount(runs, "4m");
        var c = Tiny(dir.Combine("data"), runs, epochs: 2);
        string filler = Path.Combine(runs, "filler.bin");
        // After the first step of epoch 2, leave 32 KiB: enough for stats.csv, not for the next checkpoint.
        var observer = new Trigger(atStep2: () =>
        {
            long free = new DriveInfo(runs).AvailableFreeSpace;
            using var f = new FileStream(filler, FileMode.Create);
            var block = new byte[64 * 1024];
            for (long left = free - 32 * 1024; left > 0; left -= block.Length) f.Write(block, 0, (int)Math.Min(block.Length, left));
        });
        var ex = Assert.Throws<CheckpointWriteException>(() => PretrainJob.Run(c, observer));
        Assert.Contains("the disk is full", ex.Message);
        Assert.Contains("step-000000002", ex.Message);
        Assert.Contains("is intact", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        var run = RunFolder.For(runs, c.Name);
        var kept = Assert.Single(Checkpoints.Complete(run));
        Assert.EndsWith("step-000000002", kept);
        Assert.Null(Checkpoints.Damage(kept));
        Assert.Empty(Directory.GetDirectories(run.CheckpointsDir, "*.tmp"));
        Assert.False(File.Exists(Path.Combine(run.Root, RunLock.FileName)));

        // With room again, the same command resumes from the kept checkpoint and finishes.
        File.Delete(filler);
        var lines = new Trigger();
        var outcome = PretrainJob.Run(c, lines);
        Assert.Equal(2, outcome.StepsTaken);
        Assert.Contains(lines.Lines, l => l.StartsWith("resuming at epoch 2"));
    }

    [Fact]
    public void ADataFolderThatVanishesMidRunStopsItWithOneLineAndACheckpoint()
    {
        using var dir = new TempDir();
        string data = dir.Combine("data");
        var c = Tiny(data, dir.Combine("runs"), epochs: 3);
        var observer = new Trigger(afterEpoch0: () => Directory.Move(Path.Combine(data, "train"), Path.Combine(data, "train-moved")));
        var ex = Assert.Throws<DataSourceLostException>(() => PretrainJob.Run(c, observer));
        Assert.Contains("no longer exists", ex.Message);
        Assert.Contains(Path.Combine(data, "train"), ex.Message);
        Assert.Contains("checkpoint written to", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        // Not one skipped line per file: the run stopped at the first.
        Assert.DoesNotContain(observer.Lines, l => l.StartsWith("skipped "));
        var run = RunFolder.For(c.Output.RunsDir, c.Name);
        Assert.Null(Checkpoints.Damage(Checkpoints.Complete(run).Last()));

        Directory.Move(Path.Combine(data, "train-moved"), Path.Combine(data, "train"));
        var lines = new Trigger();
        Assert.Equal(4, PretrainJob.Run(c, lines).StepsTaken);
        Assert.Contains(lines.Lines, l => l.StartsWith("resuming at epoch 2"));
    }

    [Fact]
    public void OneMissingFileIsSkippedButAMissingFolderStopsTheLoaders()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine("a"));
        var images = new ImageLoader(new[] { new Sample(dir.Combine("a", "gone.png"), 0), new Sample(dir.Combine("b", "x.png"), 0) });
        Assert.Null(images.TryLoad(0));
        Assert.Equal(1, images.SkippedCount);
        Assert.Contains("no longer exists", Assert.Throws<DataSourceLostException>(() => images.TryLoad(1)).Message);
        var audio = new AudioLoader(new[] { new Sample(dir.Combine("a", "gone.wav"), 0), new Sample(dir.Combine("b", "x.wav"), 0) }, 8000);
        Assert.Null(audio.TryLoad(0));
        Assert.Throws<DataSourceLostException>(() => audio.TryLoad(1));
    }
}
