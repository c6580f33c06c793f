using Vicreg.Data;
using Xunit;

namespace Vicreg.Tests.Data;

/// <summary>
/// Every deterministic step of the official augmentation against torchvision 0.14 + Pillow 9.4 at fixed
/// parameters (fixtures from bench/reference/make_augment_fixtures.py). Tolerance: the 8-bit steps must
/// be bit-exact (max |diff| = 0 levels on every pixel); Normalize (float32) within 1e-6 absolute.
/// </summary>
public class AugmentFidelityTests
{
    private const int ExactLevels = 0;

    private static byte[] Src(AugmentFixtures.Case c) => (byte[])AugmentFixtures.SourceImage(c.SourceName).Rgb.Clone();

    private static void AssertPixels(AugmentFixtures.Case c, byte[] actual, int tolerance = ExactLevels)
    {
        var expected = c.Rgb!;
        Assert.Equal(expected.Length, actual.Length);
        int worst = 0, differing = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            int d = Math.Abs(expected[i] - actual[i]);
            if (d > 0) differing++;
            worst = Math.Max(worst, d);
        }
        Assert.True(worst <= tolerance,
            $"{c}: max |diff| {worst} levels > {tolerance}; {differing} of {expected.Length} values differ");
    }

    private static void CheckAll(string op, Action<AugmentFixtures.Case, byte[]> apply, int expectedCases)
    {
        var cases = AugmentFixtures.Cases(op).ToList();
        Assert.Equal(expectedCases, cases.Count);
        foreach (var c in cases)
        {
            var img = Src(c);
            apply(c, img);
            AssertPixels(c, img);
        }
    }

    private static int W(AugmentFixtures.Case c) => AugmentFixtures.SourceImage(c.SourceName).Width;
    private static int H(AugmentFixtures.Case c) => AugmentFixtures.SourceImage(c.SourceName).Height;

    [Fact]
    public void HorizontalFlipIsExact() => CheckAll("flip", (c, img) => PilColor.FlipHorizontal(img, W(c), H(c)), 1);

    [Fact]
    public void GrayscaleIsExact() => CheckAll("grayscale", (_, img) => PilColor.Grayscale(img), 1);

    [Fact]
    public void SolarizeIsExact() => CheckAll("solarize", (_, img) => PilColor.Solarize(img), 1);

    [Fact]
    public void BrightnessIsExact() => CheckAll("brightness", (c, img) => PilColor.Brightness(img, (float)c.P("factor")), 5);

    [Fact]
    public void ContrastIsExact() => CheckAll("contrast", (c, img) => PilColor.Contrast(img, (float)c.P("factor")), 5);

    [Fact]
    public void SaturationIsExact() => CheckAll("saturation", (c, img) => PilColor.Saturation(img, (float)c.P("factor")), 5);

    [Fact]
    public void HueIsExact() => CheckAll("hue", (c, img) => PilColor.Hue(img, c.P("factor")), 6);

    [Fact]
    public void JitterCompositionIsExact() => CheckAll("jitter_bcsh", (c, img) =>
    {
        PilColor.Brightness(img, (float)c.P("brightness"));
        PilColor.Contrast(img, (float)c.P("contrast"));
        PilColor.Saturation(img, (float)c.P("saturation"));
        PilColor.Hue(img, c.P("hue"));
    }, 1);

    [Fact]
    public void GaussianBlurAtFixedSigmaIsExact() =>
        CheckAll("blur", (c, img) => PilBlur.GaussianBlur(img, W(c), H(c), (float)c.P("sigma")), 12);

    [Fact]
    public void CropAndBicubicResizeAtFixedBoxesIsExact()
    {
        var cases = AugmentFixtures.Cases("resized_crop").ToList();
        Assert.Equal(16, cases.Count);
        foreach (var c in cases)
        {
            var src = AugmentFixtures.SourceImage(c.SourceName);
            int size = c.I("size");
            var dst = new byte[3 * size * size];
            PilResample.ResizedCrop(src.Rgb, src.Width, src.Height, new CropBox(c.I("x"), c.I("y"), c.I("w"), c.I("h")), size, size, dst);
            Assert.Equal((size, size), (c.Width, c.Height));
            AssertPixels(c, dst);
        }
    }

    [Fact]
    public void ToTensorAndNormalizeMatchWithin1e6()
    {
        var c = Assert.Single(AugmentFixtures.Cases("normalize"));
        var src = AugmentFixtures.SourceImage(c.SourceName);
        var actual = new float[3 * src.Width * src.Height];
        PilColor.ToNormalizedChw(src.Rgb, ViewAugmentation.ImageNetMean, ViewAugmentation.ImageNetStd, actual);
        var expected = c.Chw!;
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        Assert.True(worst <= 1e-6, $"Normalize: max |diff| {worst:E2} > 1e-6");
    }
}
