using System.Runtime.InteropServices;
using Vicreg.Runs;
using Vicreg.Training;
using Vicreg.Training.Config;
using Vicreg.Training.Runs;
using Xunit.Abstractions;

namespace Vicreg.Tests.Runs;

/// <summary>The same tiny run, again and again, under the conditions that made tiny runs diverge with "the gradient of
/// a.backbone.conv1.weight = NaN" in a loaded full suite; every run must train (VICREG_STRESS=1 runs them;
/// VICREG_STRESS_RUNS sets the count). Two causes were found this way, on an AMD EPYC with 2 cores:
/// - temporary scalars freed by the finalizer thread while libtorch read them (<see cref="Vicreg.Core.Scalars"/>):
///   <see cref="TinyRunsTrainWhileAnotherThreadCollects"/> with a thread forcing collections, 57 of 60 runs failed
///   with anomaly detection on (VICREG_STRESS_ANOMALY=1) before they were removed, 0 of 20 after;
/// - oneDNN's convolutions reading memory nothing had written (<see cref="Vicreg.Core.ConvolutionCheck"/>):
///   <see cref="TinyRunsTrainSideBySide"/> (VICREG_STRESS_WORKERS=1: one sequence; "1,2": two at once) failed
///   8 of 150 runs with VICREG_ONEDNN=1 and 0 of 200 with ATen's convolutions; with VICREG_CPU_MEMORY=junk
///   (fresh memory filled with NaN) oneDNN failed 20 of 20 and ATen 0 of 20.</summary>
public class GcPressureStressTests(ITestOutputHelper output)
{
    private sealed class Quiet : ITrainingObserver
    {
        public void Info(string line) { }
        public void Started(TrainingPlan plan) { }
        public void Step(StepStats stats) { }
        public void EpochEnded(int epoch, double meanLoss, string checkpoint) { }
    }

    [StressFact]
    public void TinyRunsTrainWhileAnotherThreadCollects()
    {
        int runs = int.Parse(Environment.GetEnvironmentVariable("VICREG_STRESS_RUNS") ?? "20");
        using var anomaly = Environment.GetEnvironmentVariable("VICREG_STRESS_ANOMALY") == "1" ? TorchSharp.torch.autograd.detect_anomaly() : null;
        using var dir = new TempDir();
        bool stop = false;
        var collector = new Thread(() =>
        {
            while (!Volatile.Read(ref stop)) { GC.Collect(); GC.WaitForPendingFinalizers(); }
        }) { IsBackground = true };
        collector.Start();
        var failures = TinyRuns(dir, "r", runs, workers: 1);
        Volatile.Write(ref stop, true);
        collector.Join();
        Report(failures, runs);
    }

    /// <summary>Two tiny runs at a time, as xunit runs test classes side by side: one with 1 loader worker (2 libtorch
    /// threads), one with 2 (1 thread), so the two training threads set different thread counts.</summary>
    [StressFact]
    public void TinyRunsTrainSideBySide()
    {
        int runs = int.Parse(Environment.GetEnvironmentVariable("VICREG_STRESS_RUNS") ?? "20");
        using var dir = new TempDir();
        var w = (Environment.GetEnvironmentVariable("VICREG_STRESS_WORKERS") ?? "1,2").Split(',').Select(int.Parse).ToArray();
        var left = Task.Factory.StartNew(() => TinyRuns(dir, "l", runs, workers: w[0]), TaskCreationOptions.LongRunning);
        var right = w.Length > 1 ? Task.Factory.StartNew(() => TinyRuns(dir, "r", runs, workers: w[1]), TaskCreationOptions.LongRunning) : Task.FromResult(new List<string>());
        Report(left.Result.Concat(right.Result).ToList(), w.Length * runs);
    }

    private static List<string> TinyRuns(TempDir dir, string prefix, int runs, int workers)
    {
        var failures = new List<string>();
        for (int i = 0; i < runs; i++)
        {
            var c = ConfigLoader.Parse("{}", "tiny.json", new[]
            {
                $"name={prefix}{i}", "device=cpu", "data.kind=synthetic-images", $"data.synthetic.root={dir.Combine("data-" + prefix)}", "data.synthetic.classes=2",
                "data.synthetic.train_per_class=4", "data.synthetic.val_per_class=1", "data.synthetic.size=16", "data.image_size=16", $"data.workers={workers}",
                "model.branch_a.encoder=resnet18", "model.branch_a.base_width=4", "model.branch_a.expander=8-8", "optim.batch_size=4",
                "optim.epochs=3", "optim.warmup_epochs=0", "eval.diagnostics=false", "eval.linear_probe=false", "output.tensorboard=false",
                "output.plots=false", $"output.runs_dir={dir.Combine("runs")}",
            });
            try { Assert.Equal(6, PretrainJob.Run(c, new Quiet()).StepsTaken); }
            catch (Exception e) when (e is TrainingDivergedException or ExternalException or InvalidOperationException) { failures.Add($"run {prefix}{i}: {e.Message}"); }
        }
        return failures;
    }

    private void Report(List<string> failures, int runs)
    {
        foreach (var f in failures) output.WriteLine(f);
        Assert.True(failures.Count == 0, $"{failures.Count} of {runs} runs failed:\n{string.Join("\n", failures)}");
    }
}
