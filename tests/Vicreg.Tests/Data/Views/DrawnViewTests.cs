using Vicreg.Data;
using Vicreg.Data.Audio;

namespace Vicreg.Tests.Data.Views;

/// <summary>The augmenters' optional record of what they drew: asking for it changes neither the view nor the random
/// stream, and what it reports is what the view did.</summary>
public class DrawnViewTests
{
    [Fact]
    public void AskingForTheImageDrawsChangesNeitherTheViewNorTheStream()
    {
        using var image = TestImages.Noise(40, 30, seed: 1);
        foreach (var view in new[] { ViewAugmentation.OfficialViewA(16), ViewAugmentation.OfficialViewB(16), new ViewAugmentation(Size: 12, GrayscaleP: 1, SolarizeP: 1) })
            for (int seed = 0; seed < 40; seed++)
            {
                Random plainRng = new(seed), recordedRng = new(seed);
                var plain = ImageAugmenter.Apply(image, view, plainRng);
                DrawnImageView? drawn = null;
                var recorded = ImageAugmenter.Apply(image, view, recordedRng, d => drawn = d);
                Assert.Equal(plain, recorded);
                Assert.Equal(plainRng.Next(), recordedRng.Next()); // the stream is where it would be
                Assert.NotNull(drawn);
            }
    }

    [Fact]
    public void TheImageDrawsAreThoseOfTheView()
    {
        using var image = TestImages.Noise(40, 30, seed: 2);
        var view = ViewAugmentation.OfficialViewB(16) with { BlurP = 0.5, SolarizeP = 0.5 };
        int flips = 0, jitters = 0, blurs = 0, solarized = 0, gray = 0;
        for (int seed = 0; seed < 300; seed++)
        {
            DrawnImageView d = null!;
            ImageAugmenter.Apply(image, view, new Random(seed), x => d = x);
            Assert.Equal((40, 30), (d.SourceWidth, d.SourceHeight));
            Assert.InRange(d.Crop.X, 0, 40 - d.Crop.Width);
            Assert.InRange(d.Crop.Y, 0, 30 - d.Crop.Height);
            Assert.InRange(d.Crop.Width * d.Crop.Height, 1, 40 * 30);
            // The crop box is the one SampleCropBox draws first from the same stream.
            Assert.Equal(ImageAugmenter.SampleCropBox(40, 30, view, new Random(seed)), d.Crop);
            if (d.Jitter is { } j)
            {
                jitters++;
                Assert.Equal(new[] { 0, 1, 2, 3 }, j.Order.Order());
                Assert.InRange(j.Brightness, 0.6f, 1.4f);
                Assert.InRange(j.Contrast, 0.6f, 1.4f);
                Assert.InRange(j.Saturation, 0.8f, 1.2f);
                Assert.InRange(j.Hue, -0.1, 0.1);
            }
            if (d.BlurSigma is { } s) { blurs++; Assert.InRange(s, view.BlurSigmaMin, view.BlurSigmaMax); }
            flips += d.Flip ? 1 : 0;
            solarized += d.Solarize ? 1 : 0;
            gray += d.Grayscale ? 1 : 0;
            Assert.Equal(4, d.Describe().Count);
        }
        // p 0.5, 0.8, 0.5, 0.5, 0.2 over 300 draws (each well inside 5 standard deviations).
        Assert.InRange(flips, 110, 190);
        Assert.InRange(jitters, 200, 280);
        Assert.InRange(blurs, 110, 190);
        Assert.InRange(solarized, 110, 190);
        Assert.InRange(gray, 25, 95);
    }

    [Fact]
    public void AFlipThatIsReportedIsAFlipOfTheView()
    {
        using var image = TestImages.LeftDarkRightBright(16);
        var whole = new ViewAugmentation(Size: 16, ScaleMin: 1, ScaleMax: 1, RatioMin: 1, RatioMax: 1, FlipP: 0.5, JitterP: 0, GrayscaleP: 0, BlurP: 0);
        for (int seed = 0; seed < 20; seed++)
        {
            DrawnImageView d = null!;
            var v = ImageAugmenter.Apply(image, whole, new Random(seed), x => d = x);
            Assert.Equal(d.Flip, v[0] > v[15]); // the first pixel of a flipped row is the bright one
        }
    }

    [Fact]
    public void AskingForTheAudioDrawsChangesNeitherTheViewNorTheStreamAndTheyFit()
    {
        var clip = Enumerable.Range(0, 3000).Select(i => (float)Math.Sin(i * 0.05) * 0.3f).ToArray();
        var v = new AudioViewAugmentation { CropSeconds = 1.0, GainDb = 6, NoiseLevel = 0.1, ShiftSeconds = 0.1 };
        foreach (int crop in new[] { 1000, 4000 }) // a crop shorter than the clip, and one that pads
            for (int seed = 0; seed < 40; seed++)
            {
                Random plainRng = new(seed), recordedRng = new(seed);
                var plain = new float[crop];
                var recorded = new float[crop];
                int padPlain = AudioViews.Random(clip, v, plainRng, plain);
                DrawnAudioView d = null!;
                int padRecorded = AudioViews.Random(clip, v, recordedRng, recorded, x => d = x);
                Assert.Equal(plain, recorded);
                Assert.Equal(padPlain, padRecorded);
                Assert.Equal(plainRng.Next(), recordedRng.Next());
                Assert.Equal((3000, crop, Math.Max(0, crop - 3000)), (d.ClipSamples, d.CropSamples, d.Padding));
                Assert.InRange(d.Offset, 0, Math.Max(0, 3000 - crop));
                Assert.InRange(d.GainDb, -6, 6);
                Assert.InRange(d.NoiseStd, 0, 0.1 * d.CropRms);
                Assert.InRange(Math.Abs(d.Shift), 0, crop / 10);
            }
    }
}
