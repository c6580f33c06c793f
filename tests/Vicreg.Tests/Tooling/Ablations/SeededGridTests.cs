using Vicreg.Tooling.Ablations;

namespace Vicreg.Tests.Tooling.Ablations;

/// <summary>seeds: [...] repeats every point per seed; the report gives mean ± std, intervals, significance and error bars.</summary>
public class SeededGridTests
{
    static AblationGrid Load(TempDir dir)
    {
        var path = Path.Combine(dir.Path, "grid.json");
        File.WriteAllText(path, """
            { "name": "s", "runs_dir": "RUNS", "seeds": [0, 1, 2],
              "base": { "data": { "kind": "synthetic-images", "synthetic": { "classes": 5 } },
                        "model": { "branch_a": { "encoder": "resnet18", "expander": "16-16", "base_width": 8 } } },
              "axes": [ { "name": "coefficients", "values": [ { "label": "(25, 25, 1)", "set": { "loss.std": 25 } },
                                                               { "label": "(25, 0, 1)", "set": { "loss.std": 0 } },
                                                               { "label": "(5, 5, 1)", "set": { "loss.sim": 5, "loss.std": 5 } } ] } ] }
            """.Replace("RUNS", dir.Path));
        return AblationGrid.Load(path);
    }

    static AblationResult Row(string point, string seed, double linear, string collapse = "none") =>
        new($"{point} / {seed}", new[] { point, seed }, "ok", linear, linear - 1, collapse, 0.5, 4, 10, "run");

    [Fact]
    public void EveryPointRunsOncePerSeedWithThatSeed()
    {
        using var dir = new TempDir();
        var grid = Load(dir);
        Assert.True(grid.HasSeeds);
        var points = grid.Points();
        Assert.Equal(9, points.Count);
        Assert.Equal("(25, 0, 1) / 2", points[5].Key);
        Assert.Equal(2, grid.ConfigOf(points[5]).Seed);
        Assert.Equal(0, grid.ConfigOf(points[5]).Loss.Std);
        Assert.Equal(20, grid.ChancePercent, 9);
    }

    [Fact]
    public void TheReportMarksSignificantDifferencesAndDrawsErrorBars()
    {
        using var dir = new TempDir();
        var grid = Load(dir);
        var rows = new List<AblationResult>
        {
            Row("(25, 25, 1)", "0", 60), Row("(25, 25, 1)", "1", 62), Row("(25, 25, 1)", "2", 61),
            Row("(25, 0, 1)", "0", 20, "complete"), Row("(25, 0, 1)", "1", 21, "complete"), Row("(25, 0, 1)", "2", 19, "complete"),
            Row("(5, 5, 1)", "0", 55), Row("(5, 5, 1)", "1", 65), Row("(5, 5, 1)", "2", 58),
        };
        var summary = AblationSummary.Of(grid, rows);
        Assert.Equal(3, summary.Count);
        var best = Assert.Single(summary, s => s.IsBest);
        Assert.Equal("(25, 25, 1)", best.Point);
        Assert.Equal(61, best.LinearMean, 9);
        Assert.Equal(1, best.LinearStd, 9);
        Assert.True(summary[1].DiffersFromBest);  // 20 ± 1 against 61 ± 1
        Assert.False(summary[2].DiffersFromBest); // 59.3 ± 5.1: not distinguishable with 3 seeds
        Assert.Equal(3, summary[1].Collapsed);

        Directory.CreateDirectory(grid.Folder);
        AblationReport.Write(grid, rows);
        string md = File.ReadAllText(AblationReport.MarkdownPath(grid));
        Assert.Contains("| (25, 25, 1) | 61.0 ± 1.0 (best) |", md);
        Assert.Contains("| (25, 0, 1) | 20.0 ± 1.0 * (collapse 3/3) |", md);
        Assert.Contains("lower (significant, p < 0.001)", md);
        Assert.Contains("not significant (p = ", md);
        Assert.Contains("Chance is 20%", md);
        using (var png = SixLabors.ImageSharp.Image.Load(AblationReport.ChartPath(grid))) // a chart, not just a file
            Assert.True(png.Width >= 400 && png.Height == 600, $"chart {png.Width}×{png.Height}");
    }
}
