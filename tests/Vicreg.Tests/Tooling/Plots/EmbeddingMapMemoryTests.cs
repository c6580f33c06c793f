using System.Text.RegularExpressions;
using TorchSharp;
using Vicreg.Training.Evaluation;
using static TorchSharp.torch;

namespace Vicreg.Tests.Tooling.Plots;

/// <summary>The quickstart's embedding maps (1000 held-out points: PCA and exact t-SNE) redrawn by <c>vicreg plot</c> in a
/// process of their own, whose peak resident memory (the kernel's VmHWM) must stay within the 1 GiB budget. glibc's
/// adaptive mmap threshold once made this redraw peak at 14 GB.</summary>
public class EmbeddingMapMemoryTests
{
    private const long BudgetMiB = 1024;

    [Fact]
    public void RedrawingTheQuickstartsMapsStaysWithinOneGibibyte()
    {
        using var temp = new TempDir();
        string run = temp.Combine("runs", "maps");
        Directory.CreateDirectory(Path.Combine(run, "eval"));
        File.WriteAllText(Path.Combine(run, "stats.csv"),
            "epoch,step,lr,loss,invariance,variance,covariance,samples_per_s,seconds\n0,0,0,22.3,0.21,0.66,0.53,100,1\n0,1,0.001,22.2,0.20,0.66,0.54,100,1\n");
        // 1000 points in 10 classes with 64-d features, the quickstart's held-out set's size and its backbone's width.
        var generator = new Generator(7);
        var labels = arange(1000, ScalarType.Int64) % 10;
        var centres = randn(10, 64, generator: generator) * 3;
        var features = centres.index_select(0, labels) + randn(1000, 64, generator: generator);
        using (var set = new FeatureSet(features, labels)) set.Save(Path.Combine(run, "eval", "features-map-pretrained.bin"));
        File.WriteAllLines(Path.Combine(run, "eval", "features-map-pretrained.classes.txt"), Enumerable.Range(0, 10).Select(i => $"class{i}"));

        var (code, output) = Vicreg.Tests.Cli.CliProcessTests.Vicreg(temp.Path, new Dictionary<string, string> { ["VICREG_PEAK_MEMORY"] = "1" }, "plot", run);
        Assert.True(code == 0, output);
        Assert.True(File.Exists(Path.Combine(run, "plots", "embedding-pretrained.png")), output);
        Assert.Contains("t-SNE 5-NN accuracy", output);
        var peak = Regex.Match(output, @"peak resident memory: (\d+) MiB");
        Assert.True(peak.Success, output);
        long mib = long.Parse(peak.Groups[1].Value);
        Assert.True(mib <= BudgetMiB, $"vicreg plot peaked at {mib} MiB resident (budget {BudgetMiB} MiB)");
    }
}
