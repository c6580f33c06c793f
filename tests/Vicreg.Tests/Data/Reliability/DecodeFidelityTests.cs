using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json;
using SixLabors.ImageSharp.PixelFormats;
using Vicreg.Data;
using Vicreg.Data.Jpeg;
using Xunit.Abstractions;

namespace Vicreg.Tests.Data.Reliability;

/// <summary>
/// The decodable files of the bad-input corpus against what torchvision's pil_loader (Pillow 9.4) makes
/// of them (tests/fixtures/bad/decoded.json.gz, bench/reference/make_decode_fixtures.py). Lossless
/// formats (PNG: palette, RGBA, grayscale; BMP; PNG named .jpg) must match exactly. A 16-bit PNG must
/// equal its values scaled by 1/257 (Pillow's own conversion of a 16-bit PNG, mode I, to RGB clips at 255, a Pillow
/// quirk this project does not copy). JPEGs decode through TurboJPEG at full scale, which is Pillow's decoder
/// (libjpeg-turbo with its defaults), so they must match exactly too, the damaged-scan file included; the exceptions:
/// CMYK, which TurboJPEG does not convert to RGB (ImageSharp's decoder then, within mean |diff| ≤ 1.0 and max ≤ 8
/// levels), and machines without libturbojpeg, where ImageSharp decodes every JPEG: baseline grayscale within mean
/// 1.0 / max 8, the progressive 4:2:0 colour file within mean 3.0 / max 24 (its chroma upsampling is not libjpeg's
/// "fancy" triangular filter; the test pattern's sawtooth edges show it most); the damaged scan is then not compared.
/// </summary>
public class DecodeFidelityTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, (int Max, double Mean)> ImageSharpTolerance = new()
    {
        ["progressive.jpg"] = (24, 3.0), ["grayscale.jpg"] = (8, 1.0), ["cmyk.jpg"] = (8, 1.0),
    };

    private static readonly Dictionary<string, (int Max, double Mean)> TurboJpegTolerance = new()
    {
        ["cmyk.jpg"] = (8, 1.0),
    };

    private static Dictionary<string, (int Max, double Mean)> Tolerance => TurboJpeg.Available ? TurboJpegTolerance : ImageSharpTolerance;

    public static IEnumerable<object[]> Files()
    {
        using var file = File.OpenRead(Fixtures.PathOf(Path.Combine("bad", "decoded.json.gz")));
        using var gz = new GZipStream(file, CompressionMode.Decompress);
        using var doc = JsonDocument.Parse(gz);
        foreach (var p in doc.RootElement.EnumerateObject())
            if (p.Value.TryGetProperty("rgb", out _) && (p.Name != "corrupt-scan-data.jpg" || TurboJpeg.Available))
                yield return new object[] { p.Name, p.Value.GetProperty("width").GetInt32(), p.Value.GetProperty("height").GetInt32(),
                    (p.Value.TryGetProperty("rgb_scaled", out var scaled) ? scaled : p.Value.GetProperty("rgb")).GetString()! };
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void DecodedPixelsMatchPil(string name, int width, int height, string rgb)
    {
        var expected = Convert.FromBase64String(rgb);
        string path = Fixtures.PathOf(Path.Combine("bad", "images", name));
        using var loader = new ImageLoader(new[] { new Sample(path, 0) });
        using var image = loader.TryLoad(0);
        Assert.NotNull(image);
        Assert.Equal((width, height), (image!.Width, image.Height));
        var actual = new byte[3 * width * height];
        image.CopyPixelDataTo(MemoryMarshal.Cast<byte, Rgb24>(actual.AsSpan()));
        int max = 0;
        long sum = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            int d = Math.Abs(actual[i] - expected[i]);
            max = Math.Max(max, d);
            sum += d;
        }
        double mean = (double)sum / actual.Length;
        var (maxTol, meanTol) = Tolerance.GetValueOrDefault(name, (0, 0.0));
        output.WriteLine($"{name}: max |diff| {max}, mean {mean:F3} levels (tolerance {maxTol}, {meanTol})");
        Assert.True(max <= maxTol && mean <= meanTol, $"{name}: max |diff| {max} (tolerance {maxTol}), mean {mean:F3} (tolerance {meanTol})");
    }
}
