using Vicreg.Training.Config;
using Vicreg.Training.Evaluation;
using Vicreg.Tooling.Plots;
using Vicreg.Training.Runs;
using static TorchSharp.torch;

namespace Vicreg.Tests.Tooling.Plots;

/// <summary>The map hook where probes finish: a PNG per backbone, a cache that vicreg plot redraws from.</summary>
public class EmbeddingMapsTests
{
    /// <summary>Three classes of 20 points in 16-D, well apart, plus noise.</summary>
    private static FeatureSet Clusters(long count = 60)
    {
        manual_seed(1);
        var labels = arange(count, ScalarType.Int64) % 3;
        var centres = randn(3, 16) * 5;
        return new FeatureSet(centres.index_select(0, labels) + randn(count, 16), labels);
    }

    private static readonly string[] Classes = { "circle", "square", "star" };

    [Fact]
    public void AProbeLeavesAMapAndACacheThatPlotRedraws()
    {
        using var dir = new TempDir();
        var run = new RunFolder(dir.Path);
        var lines = new List<string>();
        using var heldOut = Clusters();
        string? png = EmbeddingMaps.AfterProbe(new ExperimentConfig(), run, "pretrained-step10", heldOut, Classes, lines.Add);

        Assert.Equal(EmbeddingMaps.PlotPath(run, "pretrained-step10"), png);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(png!).Take(4).ToArray());
        Assert.True(File.Exists(EmbeddingMaps.CachePath(run, "pretrained-step10")));
        // Both maps separate three clusters this far apart perfectly, and the line says so.
        Assert.Contains(lines, l => l.Contains("PCA 5-NN accuracy 100.0%") && l.Contains("t-SNE 5-NN accuracy 100.0%"));

        File.Delete(png!);
        Assert.Equal(new[] { png! }, EmbeddingMaps.Redraw(run, lines.Add));
        Assert.True(File.Exists(png));
    }

    [Fact]
    public void WithoutPlotsOnlyTheCacheIsWritten()
    {
        using var dir = new TempDir();
        var run = new RunFolder(dir.Path);
        using var heldOut = Clusters();
        var c = new ExperimentConfig { Output = new OutputConfig { Plots = false } };
        Assert.Null(EmbeddingMaps.AfterProbe(c, run, "random-init", heldOut, Classes, _ => { }));
        Assert.True(File.Exists(EmbeddingMaps.CachePath(run, "random-init")));
        Assert.False(File.Exists(EmbeddingMaps.PlotPath(run, "random-init")));
    }

    [Fact]
    public void ALargeHeldOutSetIsThinnedForTheMapAndSkipsTsne()
    {
        using var dir = new TempDir();
        var run = new RunFolder(dir.Path);
        var lines = new List<string>();
        using var heldOut = Clusters(EmbeddingMaps.MaxPoints + 1000);
        EmbeddingMaps.AfterProbe(new ExperimentConfig(), run, "big", heldOut, Classes, lines.Add);
        using var cached = FeatureSet.Load(EmbeddingMaps.CachePath(run, "big"));
        Assert.Equal(EmbeddingMaps.MaxPoints, cached.Count);
        Assert.DoesNotContain(lines, l => l.Contains("t-SNE"));
        Assert.Contains(lines, l => l.Contains("PCA 5-NN accuracy"));
    }
}
