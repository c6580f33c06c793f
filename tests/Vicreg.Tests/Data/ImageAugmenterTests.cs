using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Vicreg.Data;
using Xunit;

namespace Vicreg.Tests.Data;

public class ImageAugmenterTests
{
    private static readonly float[] M = ViewAugmentation.ImageNetMean, S = ViewAugmentation.ImageNetStd;

    /// <summary>A view with every random colour step off, so single steps can be checked exactly.</summary>
    private static ViewAugmentation Plain(int size) =>
        new(Size: size, FlipP: 0, JitterP: 0, GrayscaleP: 0, BlurP: 0, SolarizeP: 0);

    private static float Norm(int value, int channel) => (value / 255f - M[channel]) / S[channel];

    private static void AssertUniform(float[] view, int size, int r, int g, int b)
    {
        int plane = size * size;
        int[] expected = [r, g, b];
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < plane; i++)
                Assert.Equal(Norm(expected[c], c), view[c * plane + i], 4);
    }

    [Fact]
    public void OfficialViewsHaveThePaperParameters()
    {
        var a = ViewAugmentation.OfficialViewA(64);
        var b = ViewAugmentation.OfficialViewB();
        Assert.Equal((64, 1.0, 0.0), (a.Size, a.BlurP, a.SolarizeP));
        Assert.Equal((224, 0.1, 0.2), (b.Size, b.BlurP, b.SolarizeP));
        Assert.Equal((0.08, 1.0, 0.5, 0.8, 0.2), (b.ScaleMin, b.ScaleMax, b.FlipP, b.JitterP, b.GrayscaleP));
        Assert.Equal((0.4, 0.4, 0.2, 0.1), (b.Brightness, b.Contrast, b.Saturation, b.Hue));
        Assert.Equal([0.485f, 0.456f, 0.406f], a.Mean);
        Assert.Equal([0.229f, 0.224f, 0.225f], a.Std);
    }

    [Fact]
    public void OutputIsChwAndWithinTheNormalisedRange()
    {
        using var img = TestImages.Noise(50, 37, seed: 1);
        var rng = new Random(5);
        foreach (var view in new[] { ViewAugmentation.OfficialViewA(32), ViewAugmentation.OfficialViewB(32) })
            for (int rep = 0; rep < 20; rep++)
            {
                float[] v = ImageAugmenter.Apply(img, view, rng);
                Assert.Equal(3 * 32 * 32, v.Length);
                for (int c = 0; c < 3; c++)
                    for (int i = c * 1024; i < (c + 1) * 1024; i++)
                    {
                        Assert.InRange(v[i], Norm(0, c) - 1e-4f, Norm(255, c) + 1e-4f);
                        Assert.False(float.IsNaN(v[i]));
                    }
            }
    }

    [Fact]
    public void SameSeedGivesTheSameView()
    {
        using var img = TestImages.Noise(40, 40, seed: 2);
        var view = ViewAugmentation.OfficialViewB(24);
        Assert.Equal(ImageAugmenter.Apply(img, view, SeedMix.Rng(1, 2, 3)), ImageAugmenter.Apply(img, view, SeedMix.Rng(1, 2, 3)));
        Assert.NotEqual(ImageAugmenter.Apply(img, view, SeedMix.Rng(1, 2, 3)), ImageAugmenter.Apply(img, view, SeedMix.Rng(1, 2, 4)));
    }

    [Fact]
    public void GrayscaleUsesItuR601Luma()
    {
        using var img = TestImages.Uniform(20, 20, 200, 100, 50);
        var view = Plain(8) with { GrayscaleP = 1 };
        // L = 0.299*200 + 0.587*100 + 0.114*50 = 124.2 -> 124 on every channel.
        AssertUniform(ImageAugmenter.Apply(img, view, new Random(0)), 8, 124, 124, 124);
    }

    [Fact]
    public void SolarizeInvertsPixelsAtOrAbove128()
    {
        using var img = TestImages.Uniform(20, 20, 200, 128, 127);
        var view = Plain(8) with { SolarizeP = 1 };
        AssertUniform(ImageAugmenter.Apply(img, view, new Random(0)), 8, 55, 127, 127);
    }

    [Fact]
    public void PlainViewAndBlurPreserveAUniformImage()
    {
        using var img = TestImages.Uniform(30, 20, 10, 150, 240);
        AssertUniform(ImageAugmenter.Apply(img, Plain(8), new Random(0)), 8, 10, 150, 240);
        var blur = Plain(8) with { BlurP = 1, BlurSigmaMin = 2, BlurSigmaMax = 2 };
        AssertUniform(ImageAugmenter.Apply(img, blur, new Random(0)), 8, 10, 150, 240);
    }

    [Fact]
    public void FlipMirrorsTheImage()
    {
        using var img = TestImages.LeftDarkRightBright(16);
        // Whole-image crop, so only the flip changes the layout.
        var whole = Plain(16) with { ScaleMin = 1, ScaleMax = 1, RatioMin = 1, RatioMax = 1 };
        float[] kept = ImageAugmenter.Apply(img, whole, new Random(0));
        float[] flipped = ImageAugmenter.Apply(img, whole with { FlipP = 1 }, new Random(0));
        Assert.True(kept[0] < kept[15]);
        Assert.True(flipped[0] > flipped[15]);
        for (int y = 0; y < 16; y++)
            for (int x = 0; x < 16; x++)
                Assert.Equal(kept[y * 16 + x], flipped[y * 16 + 15 - x]);
    }

    [Fact]
    public void BrightnessJitterOnlyScalesTowardBlack()
    {
        using var img = TestImages.Uniform(10, 10, 100, 100, 100);
        var view = Plain(4) with { JitterP = 1, Contrast = 0, Saturation = 0, Hue = 0 };
        var seen = new HashSet<float>();
        for (int seed = 0; seed < 30; seed++)
        {
            float[] v = ImageAugmenter.Apply(img, view, new Random(seed));
            float pixel = MathF.Round((v[0] * S[0] + M[0]) * 255f);
            Assert.InRange(pixel, 60, 140); // factor in [0.6, 1.4]
            seen.Add(pixel);
        }
        Assert.True(seen.Count > 5);
    }

    [Fact]
    public void CenterViewResizesShorterSideAndCrops()
    {
        // 40 wide, 20 high: resize to 20x10 then crop the central 10x10, inside the blue middle band.
        using var img = new Image<Rgb24>(40, 20, new Rgb24(255, 0, 0));
        for (int y = 0; y < 20; y++)
            for (int x = 4; x < 36; x++)
                img[x, y] = new Rgb24(0, 0, 255);
        float[] v = ImageAugmenter.CenterView(img, 10, M, S);
        Assert.Equal(300, v.Length);
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(Norm(0, 0), v[i], 2);
            Assert.Equal(Norm(255, 2), v[200 + i], 2);
        }
    }
}
