using System.Diagnostics;
using Vicreg.Training;
using Vicreg.Training.Config;
using Vicreg.Runs;
using Vicreg.Training.Runs;

namespace Vicreg.Tests.Runs;

/// <summary>One writer per run folder (run.lock): a second run is refused with one line naming the holder's pid and
/// host; a lock left by a process that is gone is taken over with one line; the lock goes when the run ends.</summary>
public class RunLockTests
{
    private static ExperimentConfig Tiny(TempDir dir) => ConfigLoader.Parse("{}", "lock.json", new[]
    {
        "name=locked", "device=cpu", "data.kind=synthetic-images", $"data.synthetic.root={dir.Combine("data")}", "data.synthetic.classes=2",
        "data.synthetic.train_per_class=4", "data.synthetic.val_per_class=1", "data.synthetic.size=16", "data.image_size=16",
        "model.branch_a.encoder=resnet18", "model.branch_a.base_width=4", "model.branch_a.expander=8-8", "optim.batch_size=4",
        "optim.epochs=1", "optim.warmup_epochs=0", "eval.diagnostics=false", "output.tensorboard=false", "output.plots=false",
        $"output.runs_dir={dir.Combine("runs")}",
    });

    private sealed class Lines : ITrainingObserver
    {
        public readonly List<string> All = new();
        public void Info(string line) { lock (All) All.Add(line); }
        public void Started(TrainingPlan plan) { }
        public void Step(StepStats stats) { }
        public void EpochEnded(int epoch, double meanLoss, string checkpoint) { }
    }

    [Fact]
    public void ASecondRunOnAFolderInUseIsRefusedWithOneLineNamingTheHolder()
    {
        using var dir = new TempDir();
        var c = Tiny(dir);
        var run = RunFolder.For(c.Output.RunsDir, c.Name);
        using (RunLock.Acquire(run, _ => { }))
        {
            var ex = Assert.Throws<IOException>(() => PretrainJob.Run(c, new Lines()));
            Assert.Contains($"in use by process {Environment.ProcessId} on host {Environment.MachineName}", ex.Message);
            Assert.StartsWith(run.Root, ex.Message);
            Assert.DoesNotContain('\n', ex.Message);
            Assert.Empty(Checkpoints.Complete(run));
        }
        // Released: the same run now goes ahead, and leaves no lock behind.
        var outcome = PretrainJob.Run(c, new Lines());
        Assert.Equal(2, outcome.StepsTaken);
        Assert.False(File.Exists(Path.Combine(run.Root, RunLock.FileName)));
    }

    [Fact]
    public void ALockLeftByADeadProcessIsTakenOverWithOneLine()
    {
        using var dir = new TempDir();
        var c = Tiny(dir);
        var run = RunFolder.For(c.Output.RunsDir, c.Name);
        // A process that has exited: its pid is no longer running (or, if reused, by a process started later).
        using var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        gone.WaitForExit();
        File.WriteAllText(Path.Combine(run.Root, RunLock.FileName), RunLock.Describe(gone.Id, Environment.MachineName, DateTime.UtcNow.AddMinutes(-5)));
        var lines = new Lines();
        var outcome = PretrainJob.Run(c, lines);
        Assert.Equal(2, outcome.StepsTaken);
        Assert.Single(lines.All, l => l.StartsWith("taking over ") && l.Contains($"process {gone.Id}") && l.Contains("no longer running"));
    }

    [Fact]
    public void ALockFromAnotherHostIsRefusedAndNamesTheFileToDelete()
    {
        using var dir = new TempDir();
        var run = new RunFolder(dir.Combine("runs", "x"));
        File.WriteAllText(Path.Combine(run.Root, RunLock.FileName), RunLock.Describe(4242, "other-host", DateTime.UtcNow));
        var ex = Assert.Throws<IOException>(() => RunLock.Acquire(run, _ => { }));
        Assert.Contains("process 4242 on host other-host", ex.Message);
        Assert.Contains("delete the lock file", ex.Message);
    }
}
