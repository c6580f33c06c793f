using Vicreg.Training;
using Vicreg.Training.Config;
using Vicreg.Runs;
using Vicreg.Training.Sources;

namespace Vicreg.Tests.Training.Sources;

/// <summary>Each branch declares its own views: sizes, channels and modality come from the branch, not from one
/// data.image_size, and the DA preset at two resolutions trains and probes both backbones.</summary>
public class PerBranchViewsTests
{
    private static string[] Small(string root) => new[]
    {
        $"data.synthetic.root={root}/data", $"output.runs_dir={root}/runs", "data.synthetic.classes=3",
        "data.synthetic.train_per_class=8", "data.synthetic.val_per_class=4", "optim.batch_size=8", "optim.epochs=1", "eval.epochs=5",
        "eval.diagnostics_samples=8",
    };

    [Fact]
    public void The_DA_preset_feeds_32_px_views_to_branch_A_and_24_px_views_to_branch_B()
    {
        using var temp = new TempDir();
        var c = ConfigLoader.LoadFile(RepoFiles.PathOf("experiments/ablations/da-two-resolutions.json"), Small(temp.Path.Replace('\\', '/')));
        using var data = PretrainData.Prepare(c, _ => { });
        using var batch = data.Pairs.Epoch(0).First();
        Assert.Equal(new long[] { 8, 3, 32, 32 }, batch.ViewA.shape);
        Assert.Equal(new long[] { 8, 3, 24, 24 }, batch.ViewB.shape);
        var (a, b) = data.DiagnosticViews(4);
        using (a) using (b)
        {
            Assert.Equal(new long[] { 4, 3, 32, 32 }, a.shape);
            Assert.Equal(new long[] { 4, 3, 24, 24 }, b!.shape);
        }
    }

    [Fact]
    public void The_DA_preset_trains_and_the_probe_reports_both_backbones()
    {
        using var temp = new TempDir();
        var c = ConfigLoader.LoadFile(RepoFiles.PathOf("experiments/ablations/da-two-resolutions.json"), Small(temp.Path.Replace('\\', '/')));
        var outcome = PretrainJob.Run(c, NullObserver.Instance);
        Assert.Equal(3, outcome.StepsTaken); // 24 training images, batches of 8, one epoch
        var names = outcome.Probes.Select(p => p.Backbone).ToArray();
        Assert.Equal(new[]
        {
            "pretrained-a-image-step3", "pretrained-b-image-step3", "pretrained-concat-step3",
            "random-init-a-image", "random-init-b-image", "random-init-concat",
        }, names);
        Assert.All(outcome.Probes, p => Assert.Equal((24, 12), (p.Train, p.Val)));
    }

    [Fact]
    public void A_one_channel_image_branch_gets_luma_views()
    {
        using var temp = new TempDir();
        var c = ConfigLoader.LoadFile(RepoFiles.PathOf("experiments/ablations/da-two-resolutions.json"),
            Small(temp.Path.Replace('\\', '/')).Append("model.branch_b.in_channels=1").ToArray());
        using var data = PretrainData.Prepare(c, _ => { });
        using var batch = data.Pairs.Epoch(0).First();
        Assert.Equal(new long[] { 8, 1, 24, 24 }, batch.ViewB.shape);
    }

    [Theory]
    [InlineData("model.branch_b.view.crop_seconds=1", "model.branch_b.view.crop_seconds: is an audio setting, but \"resnet34\" takes images")]
    [InlineData("model.branch_a.view.size=4", "model.branch_a.view.size: must be ≥ 8; got 4")]
    [InlineData("model.branch_b.encoder=resnet1d18", "model.branch_b.encoder: \"resnet1d18\" takes waveforms, but data.kind \"synthetic-images\" gives images")]
    public void Branch_view_settings_are_checked_against_the_branch_modality(string set, string message)
    {
        var ex = Assert.Throws<ConfigException>(() =>
            ConfigLoader.LoadFile(RepoFiles.PathOf("experiments/ablations/da-two-resolutions.json"), new[] { set }));
        Assert.Contains(message, ex.Message);
    }
}
