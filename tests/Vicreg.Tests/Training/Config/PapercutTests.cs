using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Vicreg.Data;
using Vicreg.Data.Audio;
using Vicreg.Training.Config;
using Vicreg.Training.Optim;
using Vicreg.Training.Sources;

namespace Vicreg.Tests.Training.Config;

/// <summary>The small things a first run trips on: the sample rate set twice, a warm-up longer than the run, the
/// partial batch, short clips, silent crops and transparent pixels.</summary>
public class PapercutTests
{
    [Fact]
    public void TheMelSampleRateFollowsTheDataSampleRate()
    {
        var given = ConfigLoader.Parse("""
            { "data": { "kind": "synthetic-audio", "audio": { "sample_rate": 8000 } }, "model": { "shared": false,
              "branch_a": { "encoder": "resnet1d18", "expander": "64-64" },
              "branch_b": { "encoder": "spectrogram-resnet18", "expander": "64-64", "mel": { "n_fft": 256, "win_length": 200, "hop_length": 80, "n_mels": 32 } } } }
            """, "audio.json");
        Assert.Equal(8000, given.Model.BranchB!.Mel!.SampleRate);
        var none = ConfigLoader.Parse("""{ "data": { "kind": "synthetic-audio", "audio": { "sample_rate": 22050 } }, "model": { "branch_a": { "encoder": "spectrogram-resnet18" } } }""", "audio.json");
        Assert.Equal(22050, none.Model.BranchA.Mel!.SampleRate);
        // Given twice and different, it is still refused, naming both fields.
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""
            { "data": { "kind": "synthetic-audio", "audio": { "sample_rate": 8000 } }, "model": { "branch_a": { "encoder": "spectrogram-resnet18", "mel": { "sample_rate": 16000 } } } }
            """, "audio.json"));
        Assert.Contains("data.audio.sample_rate", e.Message);
    }

    [Fact]
    public void AWarmupLongerThanTheRunIsClampedWithAWarning()
    {
        var c = ConfigLoader.Parse("{}", "x.json", new[] { "data.kind=synthetic-images", "optim.epochs=2", "optim.warmup_epochs=10" });
        var warning = Assert.Single(ConfigValidator.Warnings(c), w => w.Contains("optim.warmup_epochs"));
        Assert.Contains("clamped to 2 epoch(s)", warning);
        var schedule = new LrSchedule(0.1, 256, 2, 10, 5, ScaleWithBatch: false);
        Assert.Equal(0.1 * 9 / 10, schedule.At(9), 12); // the warm-up spans the 10 steps of the run, not 50
        Assert.True(schedule.At(5) > schedule.At(4));
        Assert.DoesNotContain(ConfigValidator.Warnings(ConfigLoader.Parse("{}", "x.json", new[] { "data.kind=synthetic-images", "optim.epochs=20" })), w => w.Contains("warmup"));
        // The bad-config corpus's case, refused before, now loads with the warning.
        var corpus = ConfigLoader.LoadFile(Fixtures.PathOf("bad/configs/warmup-longer-than-run.json"), new[] { "data.kind=synthetic-images" });
        Assert.Contains(ConfigValidator.Warnings(corpus), w => w.Contains("optim.warmup_epochs (20) > optim.epochs (10)"));
    }

    [Fact]
    public void TheDroppedPartialBatchIsReportedOnce()
    {
        string note = PretrainData.DroppedBatchNote(369, 64)!;
        Assert.Contains("drops 49 of 369 training samples every epoch at optim.batch_size 64", note);
        Assert.Contains("optim.batch_size 41 would use them all", note); // 369 = 9 × 41
        Assert.Null(PretrainData.DroppedBatchNote(512, 64));
    }

    [Fact]
    public void ShortClipsGetAdvice()
    {
        string line = PretrainData.PaddedNote(960);
        Assert.StartsWith("960 training samples were shorter than their crop", line);
        Assert.Contains("data.audio.view_a.crop_seconds", line);
        Assert.Contains("vicreg init", line);
    }

    [Fact]
    public void CropsOnTheSilenceAfterADecayingNoteAreCountedAndAdvised()
    {
        const int rate = 8000;
        var decaying = new float[2 * rate];
        for (int i = 0; i < decaying.Length; i++) decaying[i] = (float)(Math.Sin(2 * Math.PI * 440 * i / rate) * Math.Exp(-i / (0.05 * rate)));
        var steady = Enumerable.Range(0, 2 * rate).Select(i => (float)Math.Sin(2 * Math.PI * 440 * i / rate)).ToArray();
        double silent = SilentCrops.Fraction(decaying, rate / 4, 400, new Random(1));
        Assert.InRange(silent, 0.5, 0.95); // a 0.25-s crop starting after ~0.3 s is 30 dB down
        Assert.Equal(0, SilentCrops.Fraction(steady, rate / 4, 400, new Random(1)));
        var note = AudioCropCheck.Note(Vicreg.Training.Sources.BranchSide.A, 0.25, new[] { silent, silent }, new[] { 2.0, 2.0 });
        Assert.NotNull(note);
        Assert.Contains("data.audio.view_a.crop_seconds", note);
        Assert.Contains("2 s median", note);
        Assert.Null(AudioCropCheck.Note(Vicreg.Training.Sources.BranchSide.A, 0.25, new[] { 0.0, 0.1 }, new[] { 2.0, 2.0 }));
    }

    [Fact]
    public void TransparentPixelsAreSaidOnceAndCanBeBlendedOverABackground()
    {
        using var dir = new TempDir();
        var paths = new[] { dir.Combine("a.png"), dir.Combine("b.png") };
        foreach (var p in paths)
        {
            using var image = new Image<Rgba32>(4, 4, new Rgba32(255, 0, 0, 255));
            image[0, 0] = new Rgba32(0, 0, 0, 0);         // fully transparent, stored black
            image[1, 0] = new Rgba32(0, 0, 255, 128);      // half-transparent blue
            image.SaveAsPng(p);
        }
        var samples = paths.Select(p => new Sample(p, 0)).ToList();
        var log = new StringWriter();
        using (var dropped = new ImageLoader(samples, log: log))
        {
            using var a = dropped.TryLoad(0)!;
            using var b = dropped.TryLoad(1)!;
            Assert.Equal(new Rgb24(0, 0, 0), a[0, 0]); // torchvision's convert("RGB"): the stored colour
            Assert.Equal(new Rgb24(0, 0, 255), a[1, 0]);
        }
        var said = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("data.image.background", Assert.Single(said));
        var white = new ImageLoader(samples, options: new ImageDecodeOptions(Background: Transparency.ParseColour("white")));
        using (white)
        {
            using var a = white.TryLoad(0)!;
            Assert.Equal(new Rgb24(255, 255, 255), a[0, 0]);
            Assert.Equal(new Rgb24(127, 127, 255), a[1, 0]);
            Assert.Equal(new Rgb24(255, 0, 0), a[2, 0]);
        }
        var c = ConfigLoader.Parse("{}", "x.json", new[] { "data.kind=synthetic-images", "data.image.background=#808080" });
        Assert.Equal(new Rgb24(128, 128, 128), ImageModality.DecodeOptions(c.Data).Background);
        Assert.Contains("data.image.background", Assert.Throws<ConfigException>(() =>
            ConfigLoader.Parse("{}", "x.json", new[] { "data.kind=synthetic-images", "data.image.background=pink" })).Message);
    }
}
