using System.Diagnostics;
using Vicreg.Training.Config;
using Vicreg.Training.Model;
using Vicreg.Training.Runs;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training.Distributed;

/// <summary>The golden pairings' data and runs in one temp folder, shared by the tests of the class.</summary>
public sealed class GoldenRunsFolder : IDisposable
{
    private readonly TempDir temp = new();
    private readonly Dictionary<string, Lazy<(int, string)>> runs = new();

    public string Root => temp.Path.Replace('\\', '/');

    public string[] Arguments(string pairing, string name, params string[] extra) => new[]
    {
        "pretrain", "--config", RepoFiles.PathOf($"tests/fixtures/golden/{pairing}.json"),
        "--set", $"name={name}", "--set", $"data.synthetic.root={Root}/data-{pairing}", "--set", $"data.audio.synthetic.root={Root}/data-{pairing}",
        "--set", $"output.runs_dir={Root}/runs", "--set", "eval.linear_probe=false",
        "--set", "output.checkpoint_every_steps=1", "--set", "output.keep_checkpoints=20",
    }.Concat(extra.SelectMany(e => new[] { "--set", e })).ToArray();

    /// <summary>Runs once per (pairing, ranks): the single-process run always before the multi-process one, so the
    /// generated data set exists before two ranks look for it.</summary>
    public (int ExitCode, string Output) Run(string pairing, int ranks)
    {
        if (ranks > 1) Run(pairing, 1);
        Lazy<(int, string)> run;
        lock (runs)
        {
            string key = $"{pairing}-{ranks}";
            if (!runs.TryGetValue(key, out run!))
                runs[key] = run = new Lazy<(int, string)>(() => MpiRun.Run(ranks, temp.Path, Arguments(pairing, key)));
        }
        return run.Value;
    }

    public string RunDir(string pairing, int ranks) => Path.Combine(temp.Path, "runs", $"{pairing}-{ranks}");

    public void Dispose() => temp.Dispose();
}

/// <summary>
/// Multi-process data parallelism, end to end through mpirun: two ranks, each with half of every global batch,
/// write the same loss column as one process with the whole batch (the loss is the global batch's: all-gathered
/// embeddings, synchronised batch norm, averaged gradients), for each golden pairing; their weights after 3 steps
/// agree; a rank killed with SIGKILL stops the job within 30 s with a line naming it, and the same command then
/// resumes bit-exact against an uninterrupted two-rank run.
/// </summary>
public class MultiProcessTrainingTests : IClassFixture<GoldenRunsFolder>
{
    private readonly GoldenRunsFolder golden;

    public MultiProcessTrainingTests(GoldenRunsFolder golden) => this.golden = golden;

    private static double[] Losses(string runDir) => StatsLog.Read(Path.Combine(runDir, "stats.csv")).Select(r => r.Loss).ToArray();

    [MpiTheory]
    [InlineData("image-shared")]
    [InlineData("image-da")]
    [InlineData("audio-wave-spec")]
    public void Two_ranks_write_the_loss_column_of_one_process_with_the_global_batch(string pairing)
    {
        var (oneCode, oneOutput) = golden.Run(pairing, 1);
        Assert.True(oneCode == 0, oneOutput);
        var (twoCode, twoOutput) = golden.Run(pairing, 2);
        Assert.True(twoCode == 0, twoOutput);
        Assert.Contains("rank 0 of 2", twoOutput);

        var one = Losses(golden.RunDir(pairing, 1));
        var two = Losses(golden.RunDir(pairing, 2));
        Assert.Equal(8, one.Length);
        Assert.Equal(one.Length, two.Length);
        for (int i = 0; i < one.Length; i++)
            Assert.True(Math.Abs(one[i] - two[i]) <= 1e-5 * Math.Abs(one[i]), $"step {i}: one process {one[i]:R}, two ranks {two[i]:R}");

        // The weights after 3 steps (each run's checkpoint of step 3).
        var c = ConfigLoader.LoadFile(RepoFiles.PathOf($"tests/fixtures/golden/{pairing}.json"));
        using var a = ModelFactory.Build(c.Model, c.Method);
        using var b = ModelFactory.Build(c.Model, c.Method);
        a.load(Path.Combine(golden.RunDir(pairing, 1), "checkpoints", "step-000000003", "model.bin"));
        b.load(Path.Combine(golden.RunDir(pairing, 2), "checkpoints", "step-000000003", "model.bin"));
        var beforeBatchNorm = BiasesBeforeBatchNorm(a);
        Assert.NotEmpty(beforeBatchNorm);
        foreach (var ((name, x), (_, y)) in a.named_parameters().Zip(b.named_parameters()))
        {
            double diff = (x - y).abs().max().item<float>();
            double scale = Math.Max(1.0, x.abs().max().item<float>());
            // A bias followed by batch norm has a gradient of exactly 0 in exact arithmetic (the norm removes the
            // mean), so its gradient is rounding noise whose sign depends on summation order; AdamW normalises that
            // noise into steps of ±lr (in one process too, e.g. with another thread count). LARS does not.
            double bound = beforeBatchNorm.Contains(name) && c.Optim.Name == "adamw" ? 2 * 3 * c.Optim.BaseLr : 1e-5 * scale;
            Assert.True(diff <= bound, $"{name}: weights after 3 steps differ by {diff:G3} (scale {scale:G3}, bound {bound:G3})");
        }
    }

    /// <summary>Names of the Linear biases that feed straight into a batch norm (the expander's hidden layers).</summary>
    private static HashSet<string> BiasesBeforeBatchNorm(TorchSharp.torch.nn.Module model)
    {
        var names = new HashSet<string>();
        foreach (var (prefix, module) in model.named_modules())
        {
            var children = module.named_children().ToArray();
            for (int i = 0; i + 1 < children.Length; i++)
                if (children[i].module is TorchSharp.Modules.Linear && children[i + 1].module is Vicreg.Core.StableBatchNorm)
                    names.Add($"{(prefix.Length > 0 ? prefix + "." : "")}{children[i].name}.bias");
        }
        return names;
    }

    [MpiFact]
    public void A_killed_rank_stops_the_job_within_30_s_and_the_rerun_resumes_bit_exact()
    {
        const string pairing = "image-shared";
        var (refCode, refOutput) = golden.Run(pairing, 2);
        Assert.True(refCode == 0, refOutput);
        var reference = Losses(golden.RunDir(pairing, 2));

        var args = golden.Arguments(pairing, "killed");
        var stats = Path.Combine(golden.Root, "runs", "killed", "stats.csv");
        TimeSpan stopped;
        string output;
        using (var job = MpiRun.Start(2, golden.Root, args))
        {
            var clock = Stopwatch.StartNew();
            while (!(File.Exists(stats) && File.ReadAllLines(stats).Length - 1 >= 3))
            {
                Assert.False(job.Process.HasExited, "the job ended before a rank could be killed:\n" + job.Output);
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(10), "no 3 steps in 10 minutes:\n" + job.Output);
                Thread.Sleep(20);
            }
            int pid = job.RankPid(1) ?? throw new InvalidOperationException("rank 1's process was not found among mpirun's children");
            using (var kill = Process.Start("kill", $"-KILL {pid}")) kill.WaitForExit();
            var sinceKill = Stopwatch.StartNew();
            Assert.True(job.Process.WaitForExit(TimeSpan.FromSeconds(30)), "the job was still running 30 s after rank 1 was killed:\n" + job.Output);
            stopped = sinceKill.Elapsed;
            job.Process.WaitForExit();
            Assert.NotEqual(0, job.Process.ExitCode);
            output = job.Output;
        }
        Assert.Matches(@"process rank 1 .*exited on signal 9", output); // the launcher's line naming the dead rank
        Assert.True(stopped < TimeSpan.FromSeconds(30), $"{stopped}");

        var (code, resumed) = MpiRun.Run(2, golden.Root, args);
        Assert.True(code == 0, resumed);
        Assert.Contains("resuming at", resumed);
        Assert.Equal(reference, Losses(Path.Combine(golden.Root, "runs", "killed")));
    }
}
