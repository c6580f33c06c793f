using Vicreg.Tooling.Ablations;

namespace Vicreg.Tests.Tooling.Ablations;

/// <summary>The seeded report on real data: chance from the class count the runs measured (not the config's
/// data.synthetic.classes), no "significant" mark where the seeds have no spread, the random-init floor, and the
/// between-column differences paired by seed with their intervals and p-values (results.md and differences.csv).</summary>
public class RealDataReportTests
{
    static AblationGrid Load(TempDir dir)
    {
        var path = Path.Combine(dir.Path, "grid.json");
        File.WriteAllText(path, """
            { "name": "clipart", "runs_dir": "RUNS", "seeds": [0, 1],
              "base": { "data": { "kind": "image-folder", "train": "RUNS/train", "val": "RUNS/val" },
                        "model": { "branch_a": { "encoder": "resnet18", "expander": "16-16", "base_width": 8 } } },
              "axes": [ { "name": "method", "values": [ { "label": "VICReg", "set": { "method.name": "vicreg" } },
                                                         { "label": "Barlow", "set": { "method.name": "barlow-twins" } } ] },
                        { "name": "setting", "values": [ { "label": "SW", "set": { "model.shared": true } },
                                                          { "label": "DW", "set": { "model.shared": false } } ] } ] }
            """.Replace("RUNS", dir.Path.Replace("\\", "/")));
        return AblationGrid.Load(path);
    }

    static AblationResult Row(string method, string setting, string seed, double linear, double randomInit) =>
        new($"{method} / {setting} / {seed}", new[] { method, setting, seed }, "ok", linear, linear - 2, "none", 0.5, 4, 10, "run", randomInit, 7);

    static List<AblationResult> Rows() => new()
    {
        // VICReg: one held-out image of 87 apart, identical over both seeds (std 0 on each side).
        Row("VICReg", "SW", "0", 48.3, 40.2), Row("VICReg", "SW", "1", 48.3, 41.4),
        Row("VICReg", "DW", "0", 47.1, 40.2), Row("VICReg", "DW", "1", 47.1, 41.4),
        Row("Barlow", "SW", "0", 45.0, 40.2), Row("Barlow", "SW", "1", 46.0, 41.4),
        Row("Barlow", "DW", "0", 41.0, 40.2), Row("Barlow", "DW", "1", 43.0, 41.4),
    };

    [Fact]
    public void ChanceComesFromTheMeasuredClassCountNotTheSyntheticDefault()
    {
        using var dir = new TempDir();
        var grid = Load(dir);
        Assert.True(double.IsNaN(grid.ChancePercent)); // data.synthetic.classes (10 by default) says nothing about image folders
        Assert.Equal(100.0 / 7, AblationReport.ChanceOf(grid, Rows()), 9);
        Directory.CreateDirectory(grid.Folder);
        AblationReport.Write(grid, Rows());
        string md = File.ReadAllText(AblationReport.MarkdownPath(grid));
        Assert.Contains("Chance is 14.3% (7 classes).", md);
        Assert.DoesNotContain("Chance is 10%", md);
    }

    [Fact]
    public void SeedsWithoutSpreadAreNeverMarkedSignificant()
    {
        using var dir = new TempDir();
        var grid = Load(dir);
        var summary = AblationSummary.Of(grid, Rows());
        var vicregDw = Assert.Single(summary, s => s.Point == "VICReg / DW");
        Assert.False(vicregDw.DiffersFromBest);
        Assert.True(double.IsNaN(vicregDw.VsBest.PValue));
        Directory.CreateDirectory(grid.Folder);
        AblationReport.Write(grid, Rows());
        string md = File.ReadAllText(AblationReport.MarkdownPath(grid));
        Assert.Contains("| VICReg / DW | 2/2 | 47.1 ± 0.0 | [47.1, 47.1] | 40.8 |", md);
        Assert.Contains("no test (no spread over the seeds)", md);
        Assert.DoesNotContain("| VICReg | 48.3 ± 0.0 (best) | 47.1 ± 0.0 * |", md);
    }

    [Fact]
    public void TheRandomInitFloorIsReported()
    {
        using var dir = new TempDir();
        var grid = Load(dir);
        Directory.CreateDirectory(grid.Folder);
        AblationReport.Write(grid, Rows());
        string md = File.ReadAllText(AblationReport.MarkdownPath(grid));
        Assert.Contains("The same network at random init scores 40.8% (column \"random init\").", md);
        Assert.Contains("| random init |", md);
        var chart = SixLabors.ImageSharp.Image.Identify(AblationReport.ChartPath(grid)); // a chart, not just a file: 4 bars fit the narrowest width
        Assert.Equal((800, 600), (chart.Width, chart.Height));
    }

    [Fact]
    public void BetweenColumnDifferencesArePairedBySeedWithIntervalsAndPValues()
    {
        using var dir = new TempDir();
        var grid = Load(dir);
        var differences = AblationDifferences.Of(grid, Rows());
        Assert.Equal(2, differences.Count);
        var vicreg = differences[0];
        Assert.Equal(("VICReg", "DW", "SW"), (vicreg.Row, vicreg.Column, vicreg.Baseline));
        Assert.Equal(-1.2, vicreg.Paired.Difference, 9);
        Assert.True(double.IsNaN(vicreg.Paired.PValue)); // every seed lost exactly 1.2: no spread, no test
        var barlow = differences[1];
        Assert.Equal(-3.5, barlow.Paired.Difference, 9); // seeds: −4 and −3
        // Paired, 1 df: se = 0.5, t = −7, p = 2·P(T1 < −7) = 0.0903; interval −3.5 ± 12.706·0.5.
        Assert.Equal(0.0903, barlow.Paired.PValue, 4);
        Assert.Equal(-3.5 - 12.706204736432095 * 0.5, barlow.Paired.Ci.Low, 9);

        Directory.CreateDirectory(grid.Folder);
        AblationReport.Write(grid, Rows());
        var csv = File.ReadAllLines(AblationDifferences.CsvPath(grid));
        Assert.Equal("row,column,baseline,seeds,difference,paired_low,paired_high,paired_p,paired_df,welch_low,welch_high,welch_p,welch_df", csv[0]);
        Assert.Equal(3, csv.Length);
        Assert.StartsWith("Barlow,DW,SW,2,-3.5,", csv[2]);
        string md = File.ReadAllText(AblationReport.MarkdownPath(grid));
        Assert.Contains("| VICReg | DW − SW | 2 | -1.2 | undefined | undefined |", md);
        Assert.Contains("| Barlow | DW − SW | 2 | -3.5 | [-9.9, +2.9] | 0.090 |", md);
    }

    [Fact]
    public void RowsWrittenBeforeTheFloorAndClassColumnsStillParse()
    {
        var old = AblationResult.Parse("VICReg / SW / 0,VICReg,SW,0,ok,48.3,46.1,none,0.5,4,10,run", 3);
        Assert.NotNull(old);
        Assert.Equal(48.3, old!.LinearTop1, 9);
        Assert.True(double.IsNaN(old.RandomInitTop1));
        Assert.Equal(0, old.Classes);
        var row = Row("VICReg", "SW", "0", 48.3, 40.2);
        var back = AblationResult.Parse(row.ToCsv(), 3);
        Assert.Equal(row with { Labels = back!.Labels }, back);
    }
}
