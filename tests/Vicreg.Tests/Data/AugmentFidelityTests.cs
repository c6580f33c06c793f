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

    /// <summary>The fast HSV round trip (tables, exact fmod/round replacements) against a literal
    /// transcription of Pillow's Convert.c on every colour of a 3-level grid (~640k colours).</summary>
    [Fact]
    public void FastHsvRoundTripEqualsALiteralTranscriptionOfPillow()
    {
        for (int r = 0; r < 256; r += 3)
            for (int g = 0; g < 256; g += 3)
                for (int b = 0; b < 256; b += 3)
                {
                    PilColor.RgbToHsv((byte)r, (byte)g, (byte)b, out byte h, out byte s, out byte v);
                    var (eh, es, ev) = ReferenceRgbToHsv(r, g, b);
                    Assert.True((eh, es, ev) == (h, s, v), $"rgb2hsv({r},{g},{b}) = ({h},{s},{v}), Pillow ({eh},{es},{ev})");
                    byte h2 = (byte)(h + 37);
                    PilColor.HsvToRgb(h2, s, v, out byte r2, out byte g2, out byte b2);
                    Assert.True(ReferenceHsvToRgb(h2, s, v) == (r2, g2, b2), $"hsv2rgb({h2},{s},{v})");
                }
    }

    /// <summary>The table-driven Hue equals the per-pixel Pillow transcription on every colour of a grid, at several shifts.</summary>
    [Fact]
    public void TableDrivenHueEqualsPerPixelConversion()
    {
        var colours = new List<byte>();
        for (int r = 0; r < 256; r += 5)
            for (int g = 0; g < 256; g += 5)
                for (int b = 0; b < 256; b += 5)
                    colours.AddRange(new[] { (byte)r, (byte)g, (byte)b });
        foreach (double factor in new[] { -0.1, -0.004, 0.0, 0.05, 0.1 })
        {
            var img = colours.ToArray();
            PilColor.Hue(img, factor);
            byte shift = unchecked((byte)(int)(factor * 255.0));
            for (int i = 0; i < img.Length; i += 3)
            {
                var (h, s, v) = ReferenceRgbToHsv(colours[i], colours[i + 1], colours[i + 2]);
                var expected = ReferenceHsvToRgb(unchecked((byte)(h + shift)), s, v);
                Assert.True(expected == (img[i], img[i + 1], img[i + 2]),
                    $"hue {factor} of ({colours[i]},{colours[i + 1]},{colours[i + 2]}): got ({img[i]},{img[i + 1]},{img[i + 2]}), Pillow {expected}");
            }
        }
    }

    private static byte C8(int v) => (byte)Math.Clamp(v, 0, 255);

    private static (byte, byte, byte) ReferenceRgbToHsv(int r, int g, int b)
    {
        int maxc = Math.Max(r, Math.Max(g, b)), minc = Math.Min(r, Math.Min(g, b));
        if (minc == maxc) return (0, 0, (byte)maxc);
        float cr = maxc - minc, s = cr / maxc;
        float rc = (maxc - r) / cr, gc = (maxc - g) / cr, bc = (maxc - b) / cr;
        float h = r == maxc ? bc - gc : g == maxc ? (float)(2.0 + rc - bc) : (float)(4.0 + gc - rc);
        h = (float)((h / 6.0 + 1.0) % 1.0);
        return (C8((int)(h * 255.0)), C8((int)(s * 255.0)), (byte)maxc);
    }

    private static (byte, byte, byte) ReferenceHsvToRgb(byte h, byte s, byte v)
    {
        if (s == 0) return (v, v, v);
        int i = (int)Math.Floor((float)h * 6.0 / 255.0);
        float f = (float)((float)h * 6.0 / 255.0 - (float)i);
        float fs = (float)(s / 255.0);
        byte p = C8((int)Math.Round(v * (1.0 - fs), MidpointRounding.AwayFromZero));
        byte q = C8((int)Math.Round(v * (1.0 - fs * f), MidpointRounding.AwayFromZero));
        byte t = C8((int)Math.Round(v * (1.0 - fs * (1.0 - f)), MidpointRounding.AwayFromZero));
        return (i % 6) switch { 0 => (v, t, p), 1 => (q, v, p), 2 => (p, v, t), 3 => (p, q, v), 4 => (t, p, v), _ => (v, p, q) };
    }
}
