using System.Diagnostics;
using Vicreg.Training.Runs;

namespace Vicreg.Tests.Training;

/// <summary>
/// Crash safety, end to end: a real vicreg process is killed (SIGKILL) or stopped (SIGTERM) at a random
/// step, the same command is run again, and the finished run's loss column must equal an uninterrupted
/// run's bit for bit. Checkpoints are written every step here, so each kill lands between, or inside, writes. The
/// runs: VICReg on images, an image–sound pair, and SwAV with multi-crop, its queue and its frozen first epoch.
/// </summary>
public class KillResumeTests
{
    private static readonly string[] Settings =
    {
        "optim.epochs=3", "output.checkpoint_every_steps=1", "eval.linear_probe=false", "data.workers=2",
    };

    /// <summary>SwAV with everything that carries state across steps: 2 × 16 px global + 2 × 8 px local views, the
    /// prototypes frozen in epoch 0, and a queue of one batch that fills from epoch 1 and is used from its second step.</summary>
    private static readonly string[] SwavMultiCrop =
    {
        "method.name=swav", "method.prototypes=6", "method.queue_length=8", "method.queue_start_epoch=1", "method.freeze_prototypes_epochs=1",
        "model.branch_a.base_width=8", "model.branch_a.view.local_crops=[{\"count\": 2, \"size\": 8, \"scale_min\": 0.05, \"scale_max\": 0.14}]",
    };

    private static Process Start(TinyExperiment tiny, string name, bool paired = false, params string[] extra)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = tiny.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vicreg.dll"));
        start.ArgumentList.Add("pretrain");
        var settings = Settings.Concat(extra).ToArray();
        foreach (var o in paired ? tiny.PairedOverrides(name, settings) : tiny.Overrides(name, settings)) { start.ArgumentList.Add("--set"); start.ArgumentList.Add(o); }
        var p = Process.Start(start)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static int Finish(Process p)
    {
        if (!p.WaitForExit(TimeSpan.FromMinutes(10))) { p.Kill(true); throw new TimeoutException("vicreg did not finish in 10 minutes"); } // a hang guard, generous for loaded machines
        p.WaitForExit();
        return p.ExitCode;
    }

    private static double[] Losses(TinyExperiment tiny, string name) =>
        StatsLog.Read(Path.Combine(tiny.Root, "runs", name, "stats.csv")).Select(r => r.Loss).ToArray();

    /// <summary>Waits until the run has logged at least <paramref name="rows"/> steps; false if it ended first.</summary>
    private static bool WaitForRows(Process p, string stats, int rows)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(10)) // a hang guard, generous for loaded machines
        {
            if (p.HasExited) return false;
            try
            {
                if (File.Exists(stats) && File.ReadAllLines(stats).Length - 1 >= rows) return true;
            }
            catch (IOException) { }
            Thread.Sleep(10);
        }
        return false;
    }

    [Fact]
    public void KilledAtRandomStepsTheSameCommandResumesBitExact()
    {
        using var tiny = new TinyExperiment();
        Assert.Equal(0, Finish(Start(tiny, "reference")));
        var reference = Losses(tiny, "reference");
        Assert.Equal(12, reference.Length);

        var random = new Random(7);
        int killedMidRun = 0;
        for (int trial = 0; trial < 5; trial++)
        {
            string name = $"killed{trial}";
            var p = Start(tiny, name);
            if (WaitForRows(p, Path.Combine(tiny.Root, "runs", name, "stats.csv"), random.Next(1, 10)))
            {
                p.Kill(entireProcessTree: true); // SIGKILL: no chance to clean up
                killedMidRun++;
            }
            p.WaitForExit();
            Assert.Equal(0, Finish(Start(tiny, name)));
            Assert.Equal(reference, Losses(tiny, name));
        }
        Assert.True(killedMidRun >= 3, $"only {killedMidRun} of 5 trials were killed before the run ended");
    }

    [Fact]
    public void APairedImageSoundRunKilledAtRandomStepsResumesBitExact()
    {
        using var tiny = new TinyExperiment();
        Assert.Equal(0, Finish(Start(tiny, "reference", paired: true)));
        var reference = Losses(tiny, "reference");
        Assert.Equal(12, reference.Length);

        var random = new Random(11);
        int killedMidRun = 0;
        for (int trial = 0; trial < 3; trial++)
        {
            string name = $"killed{trial}";
            var p = Start(tiny, name, paired: true);
            if (WaitForRows(p, Path.Combine(tiny.Root, "runs", name, "stats.csv"), random.Next(1, 10)))
            {
                p.Kill(entireProcessTree: true); // SIGKILL
                killedMidRun++;
            }
            p.WaitForExit();
            Assert.Equal(0, Finish(Start(tiny, name, paired: true)));
            Assert.Equal(reference, Losses(tiny, name));
        }
        Assert.True(killedMidRun >= 2, $"only {killedMidRun} of 3 trials were killed before the run ended");
    }

    [Fact]
    public void ASwavMultiCropRunWithItsQueueKilledAtRandomStepsResumesBitExact()
    {
        using var tiny = new TinyExperiment();
        Assert.Equal(0, Finish(Start(tiny, "reference", extra: SwavMultiCrop)));
        var reference = Losses(tiny, "reference");
        Assert.Equal(12, reference.Length);
        Assert.All(reference, l => Assert.True(double.IsFinite(l)));

        var random = new Random(13);
        int killedMidRun = 0;
        for (int trial = 0; trial < 3; trial++)
        {
            string name = $"killed{trial}";
            var p = Start(tiny, name, extra: SwavMultiCrop);
            // After row 5: past the frozen epoch, with the queue filled, so the resumed run must restore both.
            if (WaitForRows(p, Path.Combine(tiny.Root, "runs", name, "stats.csv"), random.Next(5, 11)))
            {
                p.Kill(entireProcessTree: true); // SIGKILL
                p.WaitForExit();
                // Killed before its last step: the resumed run has steps to take with the restored queue and counters.
                if (File.ReadAllLines(Path.Combine(tiny.Root, "runs", name, "stats.csv")).Length - 1 < reference.Length) killedMidRun++;
            }
            p.WaitForExit();
            Assert.Equal(0, Finish(Start(tiny, name, extra: SwavMultiCrop)));
            Assert.Equal(reference, Losses(tiny, name));
        }
        Assert.True(killedMidRun >= 2, $"only {killedMidRun} of 3 trials were killed before the run ended");
    }

    [LinuxFact]
    public void SigtermFinishesTheStepCheckpointsAndExitsWith130()
    {
        using var tiny = new TinyExperiment();
        Assert.Equal(0, Finish(Start(tiny, "reference")));
        var p = Start(tiny, "terminated");
        Assert.True(WaitForRows(p, Path.Combine(tiny.Root, "runs", "terminated", "stats.csv"), 5), "the run ended before it could be signalled");
        using (var kill = Process.Start("kill", $"-TERM {p.Id}")) kill.WaitForExit();
        Assert.Equal(130, Finish(p));
        var run = new RunFolder(Path.Combine(tiny.Root, "runs", "terminated"));
        int logged = StatsLog.Read(run.StatsPath).Count;
        Assert.EndsWith($"step-{logged:D9}", Checkpoints.Complete(run).Last()); // the last logged step is checkpointed
        Assert.Equal(0, Finish(Start(tiny, "terminated")));
        Assert.Equal(Losses(tiny, "reference"), Losses(tiny, "terminated"));
    }
}
