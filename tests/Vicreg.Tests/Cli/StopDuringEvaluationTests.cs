using System.Diagnostics;
using Vicreg.Tests.Training;

namespace Vicreg.Tests.Cli;

/// <summary>Ctrl+C once training is finished: the evaluation has no step to finish, so the process says so and ends at
/// once, keeping the trained checkpoint (it used to say "finishing this step" and carry on evaluating).</summary>
public class StopDuringEvaluationTests
{
    [Fact]
    public void SigintDuringTheEvaluationEndsTheProcessAndKeepsTheCheckpoint()
    {
        using var tiny = new TinyExperiment();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = tiny.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vicreg.dll"));
        start.ArgumentList.Add("pretrain");
        // One epoch of training, then a linear probe long enough to be interrupted: 1,000,000 epochs
        // (100,000 took 6 s here; 2,000 took 0.5 s, which a loaded machine's kill could miss: the process had ended by then).
        foreach (var o in tiny.Overrides("stopped", "optim.epochs=1", "optim.warmup_epochs=0", "eval.epochs=1000000", "eval.compare_random_init=false",
                     "eval.diagnostics=false", "output.plots=false", "output.tensorboard=false"))
        {
            start.ArgumentList.Add("--set");
            start.ArgumentList.Add(o);
        }
        using var p = Process.Start(start)!;
        var lines = new List<string>();
        var probing = new ManualResetEventSlim();
        void Read(object _, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (lines) lines.Add(e.Data);
            if (e.Data.Contains("linear probe")) probing.Set();
        }
        p.OutputDataReceived += Read;
        p.ErrorDataReceived += Read;
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        Assert.True(probing.Wait(TimeSpan.FromMinutes(8)), "the run never reached its linear probe:\n" + string.Join("\n", lines));
        var signalled = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", new[] { "-INT", p.Id.ToString() })) kill.WaitForExit();
        bool ended = p.WaitForExit(TimeSpan.FromMinutes(2)); // generous for a loaded machine; the probe alone runs far longer
        if (!ended) p.Kill(true);
        p.WaitForExit();
        string output;
        lock (lines) output = string.Join("\n", lines);
        Assert.True(ended, "still evaluating 2 minutes after SIGINT:\n" + output);
        Assert.NotEqual(0, p.ExitCode);
        Assert.True(output.Contains("during the evaluation: training is finished and its checkpoint is kept; stopping now", StringComparison.Ordinal), output);
        Assert.DoesNotContain("finishing this step", output);
        Assert.NotEmpty(Directory.GetDirectories(Path.Combine(tiny.Root, "runs", "stopped", "checkpoints"), "step-*"));
        Assert.True(signalled.Elapsed < TimeSpan.FromMinutes(2));
    }
}
