using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Vicreg.Data;
using Xunit;

namespace Vicreg.Tests.Data;

public class ImageLoaderTests
{
    /// <summary>good.png, a 16-bit grayscale png, a zero-byte .jpg and a garbage .jpg.</summary>
    private static Sample[] MakeFiles(TempDir dir)
    {
        string good = dir.Combine("good.png");
        using (var img = new Image<Rgb24>(6, 4, new Rgb24(10, 20, 30))) img.SaveAsPng(good);
        string gray16 = dir.Combine("gray16.png");
        using (var img = new Image<L16>(5, 5, new L16(65535))) img.SaveAsPng(gray16);
        string empty = dir.Touch("empty.jpg");
        string garbage = dir.Combine("garbage.jpg");
        File.WriteAllBytes(garbage, Enumerable.Range(0, 500).Select(i => (byte)(i * 37)).ToArray());
        return [new(good, 0), new(gray16, 0), new(empty, 1), new(garbage, 1)];
    }

    [Fact]
    public void DecodesAndConvertsToRgb24()
    {
        using var dir = new TempDir();
        var samples = MakeFiles(dir);
        using var loader = new ImageLoader(samples);
        using (var img = loader.TryLoad(0)!)
            Assert.Equal((6, 4, new Rgb24(10, 20, 30)), (img.Width, img.Height, img[3, 2]));
        using (var img = loader.TryLoad(1)!)
            Assert.Equal(new Rgb24(255, 255, 255), img[0, 0]);
        Assert.Equal(0, loader.SkippedCount);
    }

    [Fact]
    public void BadFilesAreSkippedLoggedOnceAndCounted()
    {
        using var dir = new TempDir();
        var samples = MakeFiles(dir);
        var log = new StringWriter();
        using var loader = new ImageLoader(samples, log: log);

        // Concurrent repeated requests must still log each bad file once.
        Parallel.For(0, 40, i => Assert.Null(loader.TryLoad(2 + i % 2)));

        Assert.Equal(2, loader.SkippedCount);
        Assert.Equal(new[] { samples[2].Path, samples[3].Path }.Order(), loader.SkippedFiles.Order());
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains(lines, l => l.StartsWith($"skipped {samples[2].Path}: "));
        Assert.Contains(lines, l => l.StartsWith($"skipped {samples[3].Path}: "));
    }

    [Fact]
    public void CachedImagesAreIndependentCopies()
    {
        using var dir = new TempDir();
        var samples = MakeFiles(dir);
        using var loader = new ImageLoader(samples, cacheDecoded: true);
        var first = loader.TryLoad(0)!;
        first.Dispose();
        File.Delete(samples[0].Path); // a second decode would now fail
        using var second = loader.TryLoad(0);
        Assert.NotNull(second);
        Assert.Equal(new Rgb24(10, 20, 30), second![0, 0]);
        Assert.Null(loader.TryLoad(2));
        Assert.Equal(1, loader.SkippedCount);
    }
}
