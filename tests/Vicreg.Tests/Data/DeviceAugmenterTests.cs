using TorchSharp;
using Vicreg.Data;
using Vicreg.Data.Views;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Vicreg.Tests.Data;

/// <summary>
/// data.augment_on device: <see cref="DeviceAugmenter"/> against torchvision 0.14 + Pillow 9.4's results on the same
/// 8-bit input (the fixtures of bench/reference/make_augment_fixtures.py), one step at a time, and whole views against
/// the host's. Each test prints the largest and mean level difference it found (the numbers in docs/feeding-a-gpu.md).
/// </summary>
public class DeviceAugmenterTests(ITestOutputHelper output)
{
    private static readonly ViewAugmentation NoJitter = new(Brightness: 0, Contrast: 0, Saturation: 0, Hue: 0);

    /// <summary>One fixture source as a [1, H, W, 3] byte batch, through the device steps drawn as <paramref name="drawn"/>.</summary>
    private static byte[] DeviceSteps(AugmentFixtures.Case c, ViewAugmentation view, Func<int, int, DrawnImageView> drawn)
    {
        var src = AugmentFixtures.SourceImage(c.SourceName);
        using var host = tensor(src.Rgb, new long[] { 1, src.Height, src.Width, 3 }, ScalarType.Byte);
        using var steps = DeviceAugmenter.Steps(host, new DeviceViewStage(view, 3, [drawn(src.Width, src.Height)]));
        using var hwc = steps.permute(0, 2, 3, 1).contiguous().to(ScalarType.Byte);
        return hwc.data<byte>().ToArray();
    }

    private static DrawnImageView Only(int w, int h, bool flip = false, ColorJitterDraw? jitter = null, bool gray = false, double? blur = null, bool solarize = false) =>
        new(w, h, new CropBox(0, 0, w, h), flip, jitter, gray, blur, solarize);

    private void CheckAll(string op, ViewAugmentation view, Func<AugmentFixtures.Case, int, int, DrawnImageView> drawn, int expectedCases)
    {
        var cases = AugmentFixtures.Cases(op).ToList();
        Assert.Equal(expectedCases, cases.Count);
        int worst = 0;
        long sum = 0, n = 0;
        foreach (var c in cases)
        {
            var actual = DeviceSteps(c, view, (w, h) => drawn(c, w, h));
            var expected = c.Rgb!;
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                int d = Math.Abs(expected[i] - actual[i]);
                worst = Math.Max(worst, d);
                sum += d;
                n++;
            }
        }
        output.WriteLine($"{op}: max |device − PIL| {worst} levels, mean {(double)sum / n:F4} over {n} values ({cases.Count} cases)");
        Assert.Equal(0, worst);
    }

    private static ColorJitterDraw Jitter(byte first, float b = 1, float c = 1, float s = 1, double h = 0) =>
        new(first, (byte)((first + 1) % 4), (byte)((first + 2) % 4), (byte)((first + 3) % 4), b, c, s, h);

    [Fact]
    public void FlipMatchesPil() => CheckAll("flip", NoJitter, (_, w, h) => Only(w, h, flip: true), 1);

    [Fact]
    public void GrayscaleMatchesPil() => CheckAll("grayscale", NoJitter, (_, w, h) => Only(w, h, gray: true), 1);

    [Fact]
    public void SolarizeMatchesPil() => CheckAll("solarize", NoJitter, (_, w, h) => Only(w, h, solarize: true), 1);

    [Fact]
    public void BrightnessMatchesPil() =>
        CheckAll("brightness", NoJitter with { Brightness = 0.4 }, (c, w, h) => Only(w, h, jitter: Jitter(0, b: (float)c.P("factor"))), 5);

    [Fact]
    public void ContrastMatchesPil() =>
        CheckAll("contrast", NoJitter with { Contrast = 0.4 }, (c, w, h) => Only(w, h, jitter: Jitter(1, c: (float)c.P("factor"))), 5);

    [Fact]
    public void SaturationMatchesPil() =>
        CheckAll("saturation", NoJitter with { Saturation = 0.2 }, (c, w, h) => Only(w, h, jitter: Jitter(2, s: (float)c.P("factor"))), 5);

    [Fact]
    public void HueMatchesPil() =>
        CheckAll("hue", NoJitter with { Hue = 0.1 }, (c, w, h) => Only(w, h, jitter: Jitter(3, h: c.P("factor"))), 6);

    [Fact]
    public void JitterInTheDrawnOrderMatchesPil() =>
        CheckAll("jitter_bcsh", new ViewAugmentation(), (c, w, h) => Only(w, h, jitter: new ColorJitterDraw(0, 1, 2, 3,
            (float)c.P("brightness"), (float)c.P("contrast"), (float)c.P("saturation"), c.P("hue"))), 1);

    [Fact]
    public void GaussianBlurWithTheDrawnSigmaMatchesPil() =>
        CheckAll("blur", NoJitter, (c, w, h) => Only(w, h, blur: c.P("sigma")), 12);

    [Fact]
    public void NormalisationMatchesTorchvisionWithin1e6()
    {
        var c = Assert.Single(AugmentFixtures.Cases("normalize"));
        var src = AugmentFixtures.SourceImage(c.SourceName);
        using var host = tensor(src.Rgb, new long[] { 1, src.Height, src.Width, 3 }, ScalarType.Byte);
        using var y = DeviceAugmenter.Finish(host, new DeviceViewStage(NoJitter, 3, [Only(src.Width, src.Height)]));
        var actual = y.data<float>().ToArray();
        double worst = c.Chw!.Select((e, i) => Math.Abs(e - actual[i])).Max();
        output.WriteLine($"normalize: max |device − torchvision| {worst:E2}");
        Assert.True(worst <= 1e-6, $"max |diff| {worst:E2}");
    }

    /// <summary>Whole views of the official recipes (both views, every step at its drawn probability) on a batch of
    /// 48 draws: the host part plus the device steps equal the host's view bit for bit on the CPU, and the draws are
    /// the same records, leaving the stream at the same place.</summary>
    [Fact]
    public void DeviceFinishedViewsEqualHostViewsAndDrawTheSame()
    {
        using var image = TestImages.Noise(61, 47, 5);
        using var sample = new DecodedImage(image.Clone());
        foreach (var (view, channels) in new[] { (ViewAugmentation.OfficialViewA(24), 3), (ViewAugmentation.OfficialViewB(24), 3), (ViewAugmentation.OfficialViewA(16), 1) })
        {
            var host = new ImageViewRecipe(view, view.Size, channels);
            var device = host with { OnDevice = true };
            int rows = 48, s = view.Size;
            var expected = new float[rows * channels * s * s];
            var pixels = new byte[rows * s * s * 3];
            var drawn = new DrawnImageView[rows];
            for (int k = 0; k < rows; k++)
            {
                var rngHost = SeedMix.Rng(3, k);
                var rngDevice = SeedMix.Rng(3, k);
                DrawnView? fromHost = null;
                host.Draw(sample, rngHost, expected.AsSpan(k * channels * s * s, channels * s * s), d => fromHost = d);
                drawn[k] = device.DrawHostPart(sample, rngDevice, pixels.AsSpan(k * s * s * 3, s * s * 3));
                Assert.Equal(fromHost, drawn[k]);
                Assert.Equal(rngHost.Next(), rngDevice.Next());
            }
            Assert.Contains(drawn, d => d.Jitter is not null);
            Assert.Contains(drawn, d => d.BlurSigma is not null);
            using var batch = tensor(pixels, new long[] { rows, s, s, 3 }, ScalarType.Byte);
            using var finished = DeviceAugmenter.Finish(batch, new DeviceViewStage(view, channels, drawn));
            Assert.Equal(new long[] { rows, channels, s, s }, finished.shape);
            var actual = finished.data<float>().ToArray();
            double worst = expected.Select((e, i) => Math.Abs(e - actual[i])).Max();
            output.WriteLine($"{rows} views of {s} px, {channels} channel(s), solarize p {view.SolarizeP}: max |device − host| {worst}");
            Assert.Equal(0.0, worst);
        }
    }
}
