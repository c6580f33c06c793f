using System.IO.Compression;
using System.Text.Json;

namespace Vicreg.Tests.Data;

/// <summary>tests/fixtures/augment/augment.json.gz, written by bench/reference/make_augment_fixtures.py
/// (torchvision 0.14 + Pillow 9.4 on PIL images, as the official augmentation runs).</summary>
internal static class AugmentFixtures
{
    private static readonly Lazy<JsonElement> Root = new(() =>
    {
        using var file = File.OpenRead(Fixtures.PathOf(Path.Combine("augment", "augment.json.gz")));
        using var gz = new GZipStream(file, CompressionMode.Decompress);
        using var doc = JsonDocument.Parse(gz);
        return doc.RootElement.Clone();
    });

    public static JsonElement Data => Root.Value;

    public sealed record Source(int Width, int Height, byte[] Rgb);

    public sealed record Case(string Op, string SourceName, JsonElement Params, int Width, int Height, byte[]? Rgb, float[]? Chw)
    {
        public double P(string name) => Params.GetProperty(name).GetDouble();
        public int I(string name) => Params.GetProperty(name).GetInt32();
        public override string ToString() => $"{Op}({Params.GetRawText()}) on {SourceName}";
    }

    public static Source SourceImage(string name)
    {
        var s = Data.GetProperty("sources").GetProperty(name);
        return new Source(s.GetProperty("width").GetInt32(), s.GetProperty("height").GetInt32(),
            Convert.FromBase64String(s.GetProperty("rgb").GetString()!));
    }

    public static IEnumerable<Case> Cases(string op) =>
        Data.GetProperty("cases").EnumerateArray()
            .Where(c => c.GetProperty("op").GetString() == op)
            .Select(c => new Case(op, c.GetProperty("source").GetString()!, c.GetProperty("params"),
                c.GetProperty("width").GetInt32(), c.GetProperty("height").GetInt32(),
                c.TryGetProperty("rgb", out var rgb) ? Convert.FromBase64String(rgb.GetString()!) : null,
                c.TryGetProperty("float32_chw", out var f)
                    ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(Convert.FromBase64String(f.GetString()!)).ToArray()
                    : null));

    /// <summary>(width, height) of torchvision's RandomResizedCrop.get_params draws on a width×height image.</summary>
    public static IEnumerable<(int ImageWidth, int ImageHeight, (int W, int H)[] Draws)> CropDraws() =>
        Data.GetProperty("crop_params").EnumerateArray().Select(c =>
        {
            var raw = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(
                Convert.FromBase64String(c.GetProperty("wh_int16").GetString()!)).ToArray();
            var draws = Enumerable.Range(0, raw.Length / 2).Select(i => ((int)raw[2 * i], (int)raw[2 * i + 1])).ToArray();
            return (c.GetProperty("width").GetInt32(), c.GetProperty("height").GetInt32(), draws);
        });
}
