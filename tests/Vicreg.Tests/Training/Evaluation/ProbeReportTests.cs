using Vicreg.Runs;
using Vicreg.Runs.Evaluation;
using Vicreg.Tooling.Plots;
using Vicreg.Training;
using Vicreg.Training.Evaluation;
using Vicreg.Training.Sources;
using Vicreg.Tests.Training;

namespace Vicreg.Tests.Training.Evaluation;

/// <summary>Probe reports on real data: the majority-class floor, per-class accuracy and the confusion matrix, and
/// advice when pretraining gained little.</summary>
public class ProbeReportTests
{
    [Fact]
    public void TheMajorityClassBaselineIsTheHeldOutShareOfTheTrainingMajority()
    {
        var train = new[] { 0, 0, 0, 1, 1, 2 };  // class 0 is half of training
        var held = new[] { 0, 1, 1, 2, 2, 2 };   // … and a sixth of the held-out data
        var m = MajorityBaseline.Of(train, held, new[] { "cat", "dog", "owl" });
        Assert.Equal(("cat", 50.0), (m.Class, m.TrainShare));
        Assert.Equal(100.0 / 6, m.Top1, 9);
        Assert.Equal(100.0, m.Top5, 9); // three classes: the top five hold all
        Assert.Contains("majority class \"cat\" (50.0% of the training samples) scores top-1 16.7%", m.ToString());
    }

    [Fact]
    public void AdviceComesWhenTheIntervalsOverlapAndNotWhenTheGainIsClear()
    {
        var majority = MajorityBaseline.Of(new[] { 0, 1, 2 }, Enumerable.Repeat(0, 29).Concat(new[] { 1, 2, 2 }).ToList().Take(87).ToList(), new[] { "a", "b", "c" });
        var small = ProbeAdvice.Lines(50.6, 47.2, null, 87, 300, "image");
        Assert.StartsWith("advice: the pretrained backbone's top-1 50.6%", small[0]);
        Assert.Contains("random-init floor (47.2%)", small[0]);
        Assert.Contains(small, l => l.Contains("optim.epochs") && l.Contains("300 optimizer steps"));
        Assert.Contains(small, l => l.Contains("vicreg preview") && l.Contains("data.crop_scale_min"));
        Assert.Contains(small, l => l.Contains("87 held-out samples"));
        Assert.Empty(ProbeAdvice.Lines(80.0, 40.0, null, 1000, 5000, "image"));
        var audio = ProbeAdvice.Lines(30.0, 28.0, null, 400, 5000, "audio");
        Assert.Contains(audio, l => l.Contains("crop_seconds"));
        Assert.DoesNotContain(audio, l => l.Contains("optimizer steps"));
        Assert.Contains("majority class", ProbeAdvice.Lines(33.0, null, majority, 32, 5000, "image")[0]);
    }

    [Fact]
    public void TheConfusionMatrixCountsTrueAgainstPredicted()
    {
        using var dir = new TempDir();
        var labels = new long[] { 0, 0, 0, 1, 1, 2 };
        var predicted = new long[] { 0, 0, 1, 1, 2, 2 };
        var m = PerClassReport.Confusion(labels, predicted, 3);
        Assert.Equal(new long[,] { { 2, 1, 0 }, { 0, 1, 1 }, { 0, 0, 1 } }, m);
        var files = PerClassReport.Write(dir.Path, "pretrained-step4", new[] { "cat", "dog", "owl" }, labels, predicted);
        Assert.Equal("class,held_out,correct,accuracy_percent\ncat,3,2,66.7\ndog,2,1,50.0\nowl,1,1,100.0\n", File.ReadAllText(files.PerClassCsv));
        Assert.Equal("true\\predicted,cat,dog,owl\ncat,2,1,0\ndog,0,1,1\nowl,0,0,1\n", File.ReadAllText(files.ConfusionCsv));
        var png = SixLabors.ImageSharp.Image.Identify(files.ConfusionPng); // a heatmap of 3 classes: the smallest side, 480 px, plus the colour bar
        Assert.Equal((640, 480), (png.Width, png.Height));
    }

    [Fact]
    public void LinearEvalWritesPerClassFilesAndTheBaselineAndSaysWhenFeaturesAreCached()
    {
        using var tiny = new TinyExperiment();
        var c = tiny.Config("per-class", "optim.epochs=1", "optim.warmup_epochs=0", "eval.epochs=3", "output.plots=false");
        var outcome = PretrainJob.Run(c, NullObserver.Instance);
        using var loaded = EvaluationModel.Load(c, outcome.Run, TorchSharp.torch.CPU, null, _ => { });
        using var data = RunData.Prepare(c, _ => { });
        var first = new List<string>();
        LinearEvalJob.Run(c, outcome.Run, loaded.Model, loaded.Step, TorchSharp.torch.CPU, data, first.Add, loaded.Tag, perClass: true, charts: PngRunCharts.Instance);
        Assert.Contains(first, l => l.Contains("extracting features"));
        Assert.Contains(first, l => l.StartsWith("baseline: always answering the majority class", StringComparison.Ordinal));
        var majority = LinearEvalJob.ReadMajority(outcome.Run)!;
        Assert.Equal((50.0, 8), (majority.Top1, majority.Val)); // 2 balanced classes, 4 held out each
        string tag = $"pretrained-{loaded.Tag}";
        var perClass = File.ReadAllLines(Path.Combine(outcome.Run.EvalDir, $"per_class_{tag}.csv"));
        Assert.Equal(3, perClass.Length);
        var heatmap = SixLabors.ImageSharp.Image.Identify(Path.Combine(outcome.Run.EvalDir, $"confusion_{tag}.png"));
        Assert.Equal((640, 480), (heatmap.Width, heatmap.Height));
        var counts = File.ReadAllLines(Path.Combine(outcome.Run.EvalDir, $"confusion_{tag}.csv")).Skip(1)
            .Sum(l => l.Split(',').Skip(1).Sum(int.Parse));
        Assert.Equal(8, counts);

        var second = new List<string>();
        LinearEvalJob.Run(c, outcome.Run, loaded.Model, loaded.Step, TorchSharp.torch.CPU, data, second.Add, loaded.Tag);
        Assert.DoesNotContain(second, l => l.Contains("extracting features"));
        Assert.Contains(second, l => l.Contains("from the cache"));
    }

    [Fact]
    public void TheLinearEvalCommandPrintsTheFloorsAndWritesPerClassFiles()
    {
        using var tiny = new TinyExperiment();
        var c = tiny.Config("cli-per-class", "optim.epochs=1", "optim.warmup_epochs=0", "eval.epochs=3", "output.plots=false");
        var outcome = PretrainJob.Run(c, NullObserver.Instance);
        var (code, output) = Vicreg.Tests.Cli.CliProcessTests.Vicreg(tiny.Root, "linear-eval", "--run", outcome.Run.Root, "--per-class", "--set", "eval.epochs=3");
        Assert.True(code == 0, output);
        Assert.Contains("majority class (floor)", output);
        Assert.Contains("floor: random init not measured; add --compare-random-init", output);
        Assert.Single(Directory.GetFiles(outcome.Run.EvalDir, "confusion_pretrained-*.png"));
        // Where oneDNN failed the general convolution check, the command checks it on the loaded model's own
        // convolutions, as a training run does.
        if (output.Contains("oneDNN's disagreed with float64", StringComparison.Ordinal))
            Assert.Matches(@"CPU convolutions for this run: (oneDNN|ATen's kernels) \(", output);
    }
}
