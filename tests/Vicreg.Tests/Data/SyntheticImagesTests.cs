using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Vicreg.Data;
using Xunit;

namespace Vicreg.Tests.Data;

public class SyntheticImagesTests
{
    [Fact]
    public void WritesTheExpectedLayoutAndCounts()
    {
        using var dir = new TempDir();
        var reports = new List<int>();
        SyntheticImages.Generate(dir.Path, new SyntheticImageOptions(Classes: 4, TrainPerClass: 5, ValPerClass: 2, Size: 16), new SyncProgress(reports));

        var train = new ImageFolderDataset(dir.Combine("train"));
        var val = new ImageFolderDataset(dir.Combine("val"));
        Assert.Equal(["00_circle", "01_square", "02_triangle", "03_star"], train.Classes);
        Assert.Equal(train.Classes, val.Classes);
        Assert.Equal(20, train.Count);
        Assert.Equal(8, val.Count);
        Assert.True(File.Exists(dir.Combine("train", "03_star", "0004.png")));
        Assert.True(File.Exists(dir.Combine("synthetic.json")));
        Assert.Equal(28, reports.Max());
        using var img = Image.Load<Rgb24>(dir.Combine("val", "00_circle", "0001.png"));
        Assert.Equal((16, 16), (img.Width, img.Height));
    }

    [Fact]
    public void SameSeedSameBytesAndRerunWritesNothing()
    {
        using var a = new TempDir();
        using var b = new TempDir();
        var options = new SyntheticImageOptions(Classes: 3, TrainPerClass: 3, ValPerClass: 1, Size: 24, Seed: 42);
        SyntheticImages.Generate(a.Path, options);
        SyntheticImages.Generate(b.Path, options);
        string rel = Path.Combine("train", "02_triangle", "0001.png");
        Assert.Equal(File.ReadAllBytes(Path.Combine(a.Path, rel)), File.ReadAllBytes(Path.Combine(b.Path, rel)));

        // Same options again: nothing is rewritten (a deleted file stays deleted).
        File.Delete(Path.Combine(a.Path, rel));
        SyntheticImages.Generate(a.Path, options);
        Assert.False(File.Exists(Path.Combine(a.Path, rel)));

        // Other options: regenerated from scratch, and another seed gives other pixels.
        SyntheticImages.Generate(a.Path, options with { Seed = 43, TrainPerClass = 2 });
        Assert.True(File.Exists(Path.Combine(a.Path, rel)));
        Assert.False(File.Exists(Path.Combine(a.Path, "train", "02_triangle", "0002.png")));
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(a.Path, rel)), File.ReadAllBytes(Path.Combine(b.Path, rel)));
    }

    [Fact]
    public void RefusesToOverwriteForeignFolders()
    {
        using var dir = new TempDir();
        dir.Touch("train", "mine", "photo.jpg");
        Assert.Throws<IOException>(() => SyntheticImages.Generate(dir.Path, new SyntheticImageOptions(Classes: 2, TrainPerClass: 1, ValPerClass: 0, Size: 16)));
        Assert.True(File.Exists(dir.Combine("train", "mine", "photo.jpg")));
    }

    [Fact]
    public void ColourCarriesNoClassInformation()
    {
        using var dir = new TempDir();
        const int perClass = 80;
        SyntheticImages.Generate(dir.Path, new SyntheticImageOptions(Classes: 5, TrainPerClass: perClass, ValPerClass: 0, Size: 16, Seed: 1));
        var data = new ImageFolderDataset(dir.Combine("train"));
        var sums = new double[5, 3];
        foreach (var s in data)
        {
            using var img = Image.Load<Rgb24>(s.Path);
            double r = 0, g = 0, b = 0;
            img.ProcessPixelRows(acc =>
            {
                for (int y = 0; y < acc.Height; y++)
                    foreach (var p in acc.GetRowSpan(y)) { r += p.R; g += p.G; b += p.B; }
            });
            int n = img.Width * img.Height;
            sums[s.Label, 0] += r / n;
            sums[s.Label, 1] += g / n;
            sums[s.Label, 2] += b / n;
        }
        // Per-image mean colour has a spread of about 55 levels, so a class mean of 80 images has a
        // standard error of about 6. A class-coloured dataset would differ by far more than 20.
        for (int c = 0; c < 3; c++)
        {
            double global = Enumerable.Range(0, 5).Average(k => sums[k, c] / perClass);
            Assert.InRange(global, 80, 180); // colours come from a palette (SyntheticCanvas), not uniform
            for (int k = 0; k < 5; k++)
                Assert.InRange(sums[k, c] / perClass, global - 20, global + 20);
        }
    }

    /// <summary>IProgress that records synchronously (Progress&lt;T&gt; posts asynchronously).</summary>
    private sealed class SyncProgress(List<int> sink) : IProgress<int>
    {
        public void Report(int value) { lock (sink) sink.Add(value); }
    }
}
