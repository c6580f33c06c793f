using Vicreg.Runs;
using Vicreg.Training;

namespace Vicreg.Tests.Training;

/// <summary>data.decode fast with data.augment_on device, end to end at tiny scale: generated shapes written as 64-px
/// JPEG files, read from disk every epoch, 16-px views. The run trains (finite losses) and its log says that TurboJPEG
/// decoded training views below full scale. The learning check at the quickstart's size is
/// experiments/ablations/decode-augment-learning.json (docs/feeding-a-gpu.md).</summary>
public class FastDeviceTrainingTests
{
    [TurboJpegFact]
    public void AFastDeviceRunOnJpegFilesDecodesAtReducedScalesAndTrains()
    {
        using var tiny = new TinyExperiment();
        var lines = new List<string>();
        var outcome = PretrainJob.Run(tiny.Config("fast-device", "data.synthetic.size=64", "data.synthetic.jpeg_quality=90",
            "data.cache_decoded=false", "data.decode=fast", "data.augment_on=device", "data.crop_scale_min=0.4",
            "model.branch_a.base_width=8", "optim.epochs=1", "optim.warmup_epochs=0",
            "eval.diagnostics=false", "output.tensorboard=false", "output.plots=false"), new Lines(lines));
        Assert.Equal(4, outcome.StepsTaken); // 32 samples, batch 8
        var stats = File.ReadAllLines(Path.Combine(outcome.Run.Root, "stats.csv"));
        Assert.All(stats.Skip(1), row => Assert.True(double.IsFinite(double.Parse(row.Split(',')[3], System.Globalization.CultureInfo.InvariantCulture)), row));
        // Crops of at least 40% of a 64-px file are 35–64 px: they hold a 16-px view at 1/2 (≥ 32 px) or 1/4 (64 px).
        var decodes = Assert.Single(lines, l => l.StartsWith("image decodes: ", StringComparison.Ordinal));
        Assert.Matches(@"by TurboJPEG \(at scale (1/4: [\d,]+, )?1/2: [\d,]+", decodes);
    }

    private sealed class Lines(List<string> lines) : ITrainingObserver
    {
        public void Started(TrainingPlan plan) { }
        public void Step(Vicreg.Training.Runs.StepStats stats) { }
        public void EpochEnded(int epoch, double meanLoss, string checkpoint) { }
        public void Info(string line) { lock (lines) lines.Add(line); }
    }
}
