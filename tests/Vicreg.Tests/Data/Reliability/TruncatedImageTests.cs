using Vicreg.Data;

namespace Vicreg.Tests.Data.Reliability;

/// <summary>Truncated images (bench/reference/make_bad_samples.py): skipped by default with one line naming the
/// file and what is missing, as Pillow refuses them; decoded under data.truncated_images=accept.</summary>
public class TruncatedImageTests
{
    public static readonly string[] Truncated = { "truncated-half.jpg", "truncated-progressive.jpg", "png-without-iend.png", "truncated-half.gif" };

    private static string Bad(string name) => Fixtures.PathOf(Path.Combine("bad", "images", name));

    [Fact]
    public void TruncatedFilesAreSkippedByDefaultWithOneLineEach()
    {
        var log = new StringWriter();
        using var loader = new ImageLoader(Truncated.Select(f => new Sample(Bad(f), 0)).ToList(), log: log);
        for (int i = 0; i < Truncated.Length; i++) Assert.Null(loader.TryLoad(i));
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Truncated.Length, lines.Length);
        foreach (var name in Truncated)
            Assert.Single(lines, l => l.StartsWith("skipped " + Bad(name) + ": truncated", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("truncated-half.jpg") && l.Contains("EOI"));
        Assert.Contains(lines, l => l.Contains("png-without-iend.png") && l.Contains("IEND"));
    }

    [Fact]
    public void AcceptTruncatedDecodesThemAndSaysSoOncePerFile()
    {
        var log = new StringWriter();
        using var loader = new ImageLoader(Truncated.Select(f => new Sample(Bad(f), 0)).ToList(), log: log,
            options: new ImageDecodeOptions(AcceptTruncated: true));
        for (int pass = 0; pass < 2; pass++)
            for (int i = 0; i < Truncated.Length; i++)
            {
                using var image = loader.TryLoad(i);
                Assert.True(image is not null, $"{Truncated[i]} did not decode under accept: {log}");
            }
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Truncated.Length, lines.Length);
        Assert.All(lines, l => Assert.Contains("using what it holds", l));
    }

    [Theory]
    [InlineData("picture.bmp")]
    [InlineData("picture.gif")]
    [InlineData("picture.webp")]
    [InlineData("picture-lossless.webp")]
    [InlineData("picture.tiff")]
    [InlineData("picture-lzw.tiff")]
    [InlineData("progressive.jpg")]
    [InlineData("cmyk.jpg")]
    [InlineData("rgba.png")]
    public void WholeFilesOfEachFormatAreNotTruncated(string name)
    {
        Assert.Null(ImageTruncation.Check(File.ReadAllBytes(Bad(name))));
        using var loader = new ImageLoader(new[] { new Sample(Bad(name), 0) });
        using var image = loader.TryLoad(0);
        Assert.NotNull(image);
        Assert.Equal((48, 40), (image!.Width, image.Height));
    }

    [Theory]
    [InlineData("picture.bmp")]
    [InlineData("picture.gif")]
    [InlineData("picture.webp")]
    [InlineData("picture.tiff")]
    [InlineData("picture-lzw.tiff")]
    [InlineData("progressive.jpg")]
    [InlineData("rgba.png")]
    public void EveryFormatCutInHalfIsSkippedByDefault(string name)
    {
        using var dir = new TempDir();
        var bytes = File.ReadAllBytes(Bad(name));
        string cut = dir.Combine("cut-" + name);
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        var log = new StringWriter();
        using var loader = new ImageLoader(new[] { new Sample(cut, 0) }, log: log);
        Assert.Null(loader.TryLoad(0));
        Assert.StartsWith("skipped " + cut + ": ", log.ToString());
    }
}
