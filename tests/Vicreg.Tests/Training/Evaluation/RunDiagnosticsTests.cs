using SixLabors.ImageSharp;
using Vicreg.Cli;
using Vicreg.Tests.Training;
using Vicreg.Training;
using Vicreg.Training.Config;
using Vicreg.Training.Evaluation;
using Vicreg.Training.Interop;
using Vicreg.Runs;
using Vicreg.Runs.Evaluation;
using Vicreg.Tooling.Plots;
using Vicreg.Training.Runs;
using Xunit.Abstractions;

namespace Vicreg.Tests.Training.Evaluation;

/// <summary>
/// Two tiny pretraining runs, made once for the class: a normal one (λ, μ, ν) = (25, 25, 1) and one made to
/// collapse on purpose with μ = 0 (the paper's Table 7: (25, 0, 1) collapses). AdamW at lr 0.03 for 16 steps
/// makes the μ = 0 run collapse within seconds.
/// </summary>
internal sealed class TinyRuns : IDisposable
{
    private readonly TinyExperiment tiny = new();

    public TinyRuns()
    {
        string[] common =
        {
            "model.branch_a.base_width=8", "optim.name=adamw", "optim.scale_lr_with_batch=false", "optim.weight_decay=0",
            "optim.base_lr=0.03", "optim.epochs=4", "optim.warmup_epochs=0", "eval.diagnostics_samples=32",
        };
        Normal = Run("normal", common.Append("eval.knn_every=2").ToArray());
        Collapsed = Run("collapsed", common.Append("loss.std=0").ToArray());
    }

    public (RunFolder Run, List<string> Lines, ExperimentConfig Config) Normal { get; }
    public (RunFolder Run, List<string> Lines, ExperimentConfig Config) Collapsed { get; }
    public string Root => tiny.Root;
    public TinyExperiment Tiny => tiny;

    private (RunFolder, List<string>, ExperimentConfig) Run(string name, string[] overrides)
    {
        var observer = new Lines();
        var config = tiny.Config(name, overrides);
        var outcome = PretrainJob.Run(config, observer, charts: PngRunCharts.Instance);
        return (outcome.Run, observer.All, config);
    }

    private sealed class Lines : ITrainingObserver
    {
        public List<string> All { get; } = new();
        public void Started(TrainingPlan plan) { }
        public void Step(StepStats stats) { }
        public void EpochEnded(int epoch, double meanLoss, string checkpoint) { }
        public void Info(string line) { lock (All) All.Add(line); }
    }

    public void Dispose() => tiny.Dispose();
}

/// <summary>The public face of <see cref="TinyRuns"/> for xunit's class fixture.</summary>
public sealed class TinyRunsHolder : IDisposable
{
    internal TinyRuns Runs { get; } = new();
    public void Dispose() => Runs.Dispose();
}

public sealed class RunDiagnosticsTests(TinyRunsHolder holder, ITestOutputHelper output) : IClassFixture<TinyRunsHolder>
{
    private TinyRuns runs => holder.Runs;

    private List<Dictionary<string, string>> Diagnostics(RunFolder run)
    {
        var rows = EpochCsv.Read(DiagnosticsHook.DiagnosticsPath(run));
        foreach (var r in rows)
            output.WriteLine($"{Path.GetFileName(run.Root)} epoch {int.Parse(r["epoch"]) + 1}: mean std {double.Parse(r["mean_std"]):F3}, min std {double.Parse(r["min_std"]):F3}, " +
                             $"dead {double.Parse(r["low_std_fraction"]):P0}, RankMe {double.Parse(r["rankme"]):F2}, |corr| {double.Parse(r["mean_abs_correlation"]):F3}, {r["state"]}");
        return rows;
    }

    [Fact]
    public void The_collapsed_run_is_flagged_with_a_warning_line()
    {
        var rows = Diagnostics(runs.Collapsed.Run);
        Assert.Equal(4, rows.Count);
        Assert.Equal("complete", rows[^1]["state"]);
        Assert.True(double.Parse(rows[^1]["mean_std"]) < 0.1);
        Assert.Contains(runs.Collapsed.Lines, l => l.StartsWith("warning: the embeddings have collapsed (epoch 4, branch a)", StringComparison.Ordinal));
    }

    [Fact]
    public void The_normal_run_is_not_flagged()
    {
        var rows = Diagnostics(runs.Normal.Run);
        Assert.Equal(4, rows.Count);
        Assert.All(rows, r => Assert.Equal("none", r["state"]));
        Assert.All(rows, r => Assert.True(double.Parse(r["mean_std"]) > 0.3));
        Assert.DoesNotContain(runs.Normal.Lines, l => l.StartsWith("warning: the embeddings", StringComparison.Ordinal) || l.StartsWith("warning: dimensional", StringComparison.Ordinal));
        // Every epoch's spectrum is kept: 32 singular values (32 rows, 32 dimensions) per epoch.
        Assert.Equal(4 * 32, EpochCsv.Read(DiagnosticsHook.SpectrumPath(runs.Normal.Run)).Count);
    }

    [Fact]
    public void Online_knn_runs_every_second_epoch()
    {
        var rows = EpochCsv.Read(KnnHook.KnnPath(runs.Normal.Run));
        Assert.Equal(new[] { "1", "3" }, rows.Select(r => r["epoch"]));
        // The tiny experiment holds out 2 classes × 4 images and trains the kNN on 2 × 16.
        Assert.All(rows, r => Assert.Equal(("32", "8"), (r["train"], r["val"])));
        Assert.All(rows, r => Accuracy.IsHitsOutOf(double.Parse(r["top1"], System.Globalization.CultureInfo.InvariantCulture), 8, $"kNN top-1 after epoch {r["epoch"]}"));
        // With 2 classes the top-5 holds every class: all 8 held-out images.
        Assert.All(rows, r => Assert.Equal(100.0, double.Parse(r["top5"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(rows, r => Assert.Equal("20", r["k"]));
        Assert.Contains(runs.Normal.Lines, l => l.StartsWith("kNN (k=20, T=0.07) after epoch 4", StringComparison.Ordinal));
        Assert.False(File.Exists(KnnHook.KnnPath(runs.Collapsed.Run))); // knn_every = 0: off
    }

    [Fact]
    public void TensorBoard_events_sit_next_to_stats_csv()
    {
        var events = Directory.GetFiles(runs.Normal.Run.Root, "events.out.tfevents.*");
        var file = Assert.Single(events);
        string text = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(file));
        foreach (var tag in new[] { "loss/total", "loss/invariance", "loss/variance", "loss/covariance", "train/lr", "collapse/a/rankme", "collapse/a/mean_std", "knn/a/top1" })
            Assert.Contains(tag, text);
    }

    [Fact]
    public void Plots_render_and_the_plot_command_redraws_them()
    {
        string plots = runs.Normal.Run.PlotsDir;
        string[] names = { "loss.png", "lr.png", "knn.png", "spectrum.png", "collapse.png" };
        foreach (var n in names) File.Delete(Path.Combine(plots, n));
        Assert.Equal(0, App.Run(new[] { "plot", runs.Normal.Run.Root }));
        foreach (var n in names)
        {
            var info = Image.Identify(Path.Combine(plots, n));
            Assert.Equal((900, 540), (info.Width, info.Height));
        }
    }

    [Fact]
    public void Export_of_the_run_reloads_with_the_same_weights()
    {
        string path = Path.Combine(runs.Root, "exported.pt");
        Assert.Equal(0, App.Run(new[] { "export", "--run", runs.Normal.Run.Root, "--out", path, "--classes", "2" }));
        var tensors = PyTorchFiles.ReadTensors(path);
        Assert.Equal(new long[] { 2, 64 }, tensors["fc.weight"].shape);
        using var model = EvaluationModel.Load(runs.Normal.Config, runs.Normal.Run, TorchSharp.torch.CPU, null, _ => { });
        foreach (var (name, t) in model.Model.A.Encoder.state_dict())
            Assert.True(tensors[name].equal(t).all().item<bool>(), name);
    }

    [Fact]
    public void Semi_supervised_fine_tuning_writes_its_subset_and_reuses_it()
    {
        var c = runs.Normal.Config;
        using var data = Vicreg.Training.Sources.RunData.Prepare(c, _ => { });
        var options = FineTuneOptions.Paper(10, c.Seed) with { Epochs = 2 };
        SemiSupervisedRow First()
        {
            using var model = EvaluationModel.Load(c, runs.Normal.Run, TorchSharp.torch.CPU, null, _ => { });
            return SemiSupervisedJob.Run(c, runs.Normal.Run, model, TorchSharp.torch.CPU, data, options, _ => { });
        }
        var a = First();
        string list = SemiSupervisedJob.SubsetPath(runs.Normal.Run, 10);
        Assert.Equal(4, File.ReadAllLines(list).Length); // 10% of 16 per class, rounded: 2 per class
        var b = First();
        Assert.Equal((a.Top1, a.Top5, a.Labelled), (b.Top1, b.Top5, b.Labelled)); // same subset, same seed: same result
        Assert.Equal((0.01, 0.1, 2), (a.LrBackbone, a.LrHead, a.Epochs));
        output.WriteLine($"10% fine-tune, 2 epochs: top-1 {a.Top1:F1}%");
        Assert.Equal(3, File.ReadAllLines(Path.Combine(runs.Normal.Run.EvalDir, "semi_supervised.csv")).Length);
    }

    [Fact]
    public void Knn_and_linear_eval_take_pytorch_weights_instead_of_the_checkpoint()
    {
        // The run supplies config and data; the backbone comes from a state dict written by PyTorch.
        string weights = Fixtures.PathOf("interop/resnet18_w4.pt");
        string[] common = { "--run", runs.Normal.Run.Root, "--set", "model.branch_a.base_width=4", "--weights", weights };
        Assert.Equal(0, App.Run(new[] { "knn" }.Concat(common).ToArray()));
        var knn = File.ReadAllLines(Path.Combine(runs.Normal.Run.EvalDir, "knn.csv"));
        Assert.StartsWith("pretrained-weights-resnet18_w4,20,", knn[1]);
        Assert.Equal(0, App.Run(new[] { "linear-eval" }.Concat(common).Concat(new[] { "--set", "eval.epochs=2" }).ToArray()));
        Assert.Contains("pretrained-weights-resnet18_w4", File.ReadAllText(Path.Combine(runs.Normal.Run.EvalDir, "linear_probe.csv")));
        Assert.Single(Directory.GetFiles(runs.Normal.Run.EvalDir, "features-pretrained-weights-resnet18_w4-*-train.bin"));
    }
}
