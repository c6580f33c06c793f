using SixLabors.ImageSharp;
using Vicreg.Data;
using Vicreg.Data.Audio;
using Vicreg.Tooling.Plots;
using Vicreg.Training.Config;
using Vicreg.Training.Sources;

namespace Vicreg.Tests.Tooling.Plots;

/// <summary>vicreg preview shows what training gets: its views are the first training batch's rows, tensor for tensor,
/// for image, audio and image ↔ audio presets (shrunk to a few samples), and its PNG has the layout's size.</summary>
public class ViewPreviewTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A preset with its data generated under the test's folder, a few samples per class and small batches.</summary>
    private ExperimentConfig Preset(string file, params string[] overrides) =>
        ConfigLoader.LoadFile(RepoFiles.PathOf(file), overrides.Append($"output.runs_dir={_dir.Combine("runs")}").Append("data.workers=2"));

    private ExperimentConfig ImageQuickstart() => Preset("experiments/quickstart.json",
        $"data.synthetic.root={_dir.Combine("shapes")}", "data.synthetic.train_per_class=4", "data.synthetic.val_per_class=1", "optim.batch_size=16");

    private ExperimentConfig TwoResolutions() => Preset("experiments/ablations/da-two-resolutions.json",
        $"data.synthetic.root={_dir.Combine("shapes-da")}", "data.synthetic.train_per_class=4", "data.synthetic.val_per_class=1", "optim.batch_size=16");

    private ExperimentConfig AudioQuickstart() => Preset("experiments/audio/quickstart.json",
        $"data.audio.synthetic.root={_dir.Combine("sounds")}", "data.audio.synthetic.train_per_class=2", "data.audio.synthetic.val_per_class=1", "optim.batch_size=8");

    private ExperimentConfig PairedQuickstart() => Preset("experiments/audio-image/quickstart.json",
        $"data.paired.synthetic.root={_dir.Combine("pairs")}", "data.paired.synthetic.train_per_class=2", "data.paired.synthetic.val_per_class=1", "optim.batch_size=8");

    public static TheoryData<string> Presets => new() { "image", "two-resolutions", "audio", "paired" };

    private ExperimentConfig Config(string preset) => preset switch
    {
        "image" => ImageQuickstart(),
        "two-resolutions" => TwoResolutions(),
        "audio" => AudioQuickstart(),
        _ => PairedQuickstart(),
    };

    [Theory]
    [MemberData(nameof(Presets))]
    public void ThePreviewedViewsAreTheFirstTrainingBatch(string preset)
    {
        var c = Config(preset);
        const int shown = 5;
        var preview = ViewPreview.Build(c, shown, preset, _ => { });
        Assert.Equal(shown, preview.Rows.Count);
        // What PretrainJob trains on: the same preparation, the first batch of epoch 0, built by the worker threads.
        using var data = PretrainData.Prepare(c, _ => { });
        using var batch = data.Pairs.Epoch(0).First();
        long perA = batch.ViewA.numel() / batch.Count, perB = batch.ViewB.numel() / batch.Count;
        var a = batch.ViewA.data<float>().ToArray();
        var b = batch.ViewB.data<float>().ToArray();
        var labels = batch.Labels.data<long>().ToArray();
        for (int k = 0; k < shown; k++)
        {
            var row = preview.Rows[k].Sample;
            Assert.Equal(k, row.Position);
            Assert.Equal(batch.Indices[k], row.Index);
            Assert.Equal(labels[k], row.Label);
            Assert.Equal(a.AsSpan((int)(k * perA), (int)perA).ToArray(), row.ViewA);
            Assert.Equal(b.AsSpan((int)(k * perB), (int)perB).ToArray(), row.ViewB);
            Assert.NotNull(row.DrawnA);
            Assert.NotNull(row.DrawnB);
        }
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void TheDrawnParametersFitTheirSamplesAndViews(string preset)
    {
        var preview = ViewPreview.Build(Config(preset), 4, preset, _ => { });
        foreach (var row in preview.Rows)
            foreach (var panel in new[] { row.A, row.B })
                switch (panel)
                {
                    case ViewPreview.ImagePanel p:
                        var d = Assert.IsType<DrawnImageView>(p.Drawn);
                        Assert.Equal((p.SourceWidth, p.SourceHeight), (d.SourceWidth, d.SourceHeight));
                        Assert.InRange(d.Crop.X, 0, d.SourceWidth - d.Crop.Width);
                        Assert.InRange(d.Crop.Y, 0, d.SourceHeight - d.Crop.Height);
                        Assert.True(d.Crop.Width >= 1 && d.Crop.Height >= 1);
                        Assert.Equal(3 * p.Size * p.Size, p.View.Length);
                        break;
                    case ViewPreview.AudioPanel p:
                        var s = Assert.IsType<DrawnAudioView>(p.Drawn);
                        Assert.Equal(p.Clip.Length, s.ClipSamples);
                        Assert.Equal(p.View.Length, s.CropSamples);
                        Assert.InRange(s.Offset, 0, Math.Max(0, s.ClipSamples - s.CropSamples));
                        Assert.True(s.SampleRate > 0);
                        Assert.Equal(p.Bands * p.Frames, p.LogMel.Length);
                        break;
                    default:
                        Assert.Fail($"unexpected panel {panel.GetType().Name}");
                        break;
                }
    }

    [Fact]
    public void TheDisplayedPixelsAreTheViewWithItsNormalisationUndone()
    {
        var c = ImageQuickstart();
        var preview = ViewPreview.Build(c, 3, "image", _ => { });
        var train = ImageModality.Augmentation(c.Data, null, BranchSide.A);
        foreach (var row in preview.Rows)
        {
            var shown = ((ViewPreview.ImagePanel)row.A).View;
            int plane = shown.Length / 3;
            // Normalising the shown 8-bit pixels again gives the view the branch was fed.
            for (int ch = 0; ch < 3; ch++)
                for (int i = 0; i < plane; i++)
                    Assert.Equal(row.Sample.ViewA[ch * plane + i], (shown[3 * i + ch] / 255f - train.Mean[ch]) / train.Std[ch], 5);
        }
    }

    [Fact]
    public void LumaViewsAreShownGreyWithTheirNormalisationUndone()
    {
        var v = ViewAugmentation.OfficialViewA(4);
        // A grey pixel g in every channel, normalised per channel, then the ITU-R 601 luma of those.
        foreach (int g in new[] { 0, 37, 128, 255 })
        {
            float luma = 0;
            double[] w = [0.299, 0.587, 0.114];
            for (int c = 0; c < 3; c++) luma += (float)(w[c] * ((g / 255f - v.Mean[c]) / v.Std[c]));
            var shown = ViewPreview.LumaForDisplay([luma], v);
            Assert.Equal(new[] { (byte)g, (byte)g, (byte)g }, shown);
        }
    }

    [Theory]
    [InlineData("image")]
    [InlineData("paired")]
    public void ThePngHasTheLayoutsSize(string preset)
    {
        var c = Config(preset);
        var two = ViewPreview.Build(c, 2, preset, _ => { });
        var four = ViewPreview.Build(c, 4, preset, _ => { });
        string pathTwo = _dir.Combine("two.png"), pathFour = _dir.Combine("out", "four.png");
        var sizeTwo = ViewPreviewPlot.Save(two, pathTwo);
        var sizeFour = ViewPreviewPlot.Save(four, pathFour);
        foreach (var (path, size) in new[] { (pathTwo, sizeTwo), (pathFour, sizeFour) })
        {
            var info = Image.Identify(path);
            Assert.Equal(size, (info.Width, info.Height));
        }
        int panels = preset == "image" ? 2 * ViewPreviewPlot.ImagePanelWidth : ViewPreviewPlot.ImagePanelWidth + ViewPreviewPlot.AudioPanelWidth;
        Assert.Equal(2 * ViewPreviewPlot.Margin + ViewPreviewPlot.ColumnGap + panels, sizeFour.Width);
        Assert.Equal(sizeTwo.Width, sizeFour.Width);
        // Two more samples: two more rows, the header unchanged.
        Assert.Equal(2 * ViewPreviewPlot.RowHeight(four.Rows[0]), sizeFour.Height - sizeTwo.Height);
        Assert.Empty(Directory.GetFiles(_dir.Combine("out"), ".*")); // no temporary file left behind
    }
}
