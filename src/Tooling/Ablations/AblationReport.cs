using System.Globalization;
using System.Text;
using ScottPlot;

namespace Vicreg.Tooling.Ablations;

/// <summary>results.md (the paper's layout: first axis as rows, the others as columns, linear top-1 in the
/// cells) and results.png (a bar per point, collapsed runs in red, refused ones marked) of a grid.</summary>
public static class AblationReport
{
    public static string MarkdownPath(AblationGrid grid) => Path.Combine(grid.Folder, "results.md");
    public static string ChartPath(AblationGrid grid) => Path.Combine(grid.Folder, "results.png");

    public static void Write(AblationGrid grid, IReadOnlyList<AblationResult> results)
    {
        File.WriteAllText(MarkdownPath(grid), Markdown(grid, results));
        Chart(grid, results);
    }

    static string Cell(AblationResult? r) => r is null ? "…" : r.IsRefused ? "refused" : r.Status != "ok" ? r.Status :
        (double.IsNaN(r.LinearTop1) ? "n/a" : r.LinearTop1.ToString("F1", CultureInfo.InvariantCulture)) + (r.Collapsed ? " (collapse)" : "");

    public static string Markdown(AblationGrid grid, IReadOnlyList<AblationResult> results)
    {
        var byKey = results.ToDictionary(r => r.Point);
        var sb = new StringBuilder();
        sb.AppendLine($"# {grid.Title}").AppendLine();
        sb.AppendLine("Linear-probe top-1 (%) of branch A's frozen backbone on the held-out images; \"(collapse)\" where the");
        sb.AppendLine("collapse diagnostics of the last epoch flag it; \"refused\" where the configuration cannot work.").AppendLine();
        var rowAxis = grid.Axes[0];
        var columns = grid.Axes.Count == 1
            ? new List<(string Label, List<string> Suffix)> { ("linear top-1", new List<string>()) }
            : grid.Points().Select(p => p.Labels.Skip(1).ToList()).DistinctBy(l => string.Join(" / ", l)).Select(l => (Label: string.Join(" / ", l), Suffix: l)).ToList();
        sb.AppendLine($"| {rowAxis.Name} | {string.Join(" | ", columns.Select(c => c.Label))} |");
        sb.AppendLine($"| --- |{string.Concat(columns.Select(_ => " --- |"))}");
        foreach (var row in rowAxis.Values)
        {
            var cells = columns.Select(c => Cell(byKey.GetValueOrDefault(string.Join(" / ", new[] { row.Label }.Concat(c.Suffix)))));
            sb.AppendLine($"| {row.Label} | {string.Join(" | ", cells)} |");
        }
        if (grid.Paper is not null)
            sb.AppendLine().AppendLine("The paper's numbers for this table (100-epoch ImageNet, linear top-1): `" + grid.Paper + "`");
        sb.AppendLine().AppendLine("| point | status | linear top-1 | kNN top-1 | collapse | mean std | RankMe | seconds |");
        sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        string F(double v, string f) => double.IsNaN(v) ? "" : v.ToString(f, CultureInfo.InvariantCulture);
        foreach (var r in results)
            sb.AppendLine($"| {r.Point} | {r.Status} | {F(r.LinearTop1, "F1")} | {F(r.KnnTop1, "F1")} | {r.CollapseState} | {F(r.MeanStd, "F3")} | {F(r.RankMe, "F2")} | {F(r.Seconds, "F0")} |");
        return sb.ToString();
    }

    public static void Chart(AblationGrid grid, IReadOnlyList<AblationResult> results)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        for (int i = 0; i < results.Count; i++)
        {
            var r = results[i];
            double value = r.Status == "ok" && !double.IsNaN(r.LinearTop1) ? r.LinearTop1 : 0;
            bars.Add(new Bar
            {
                Position = i,
                Value = value,
                FillColor = r.IsRefused ? Colors.LightGray : r.Collapsed ? Colors.FireBrick : Colors.SteelBlue,
                Label = r.IsRefused ? "refused" : r.Status == "ok" ? value.ToString("F1", CultureInfo.InvariantCulture) : "failed",
            });
            ticks.Add(new Tick(i, r.Point));
        }
        var series = plot.Add.Bars(bars);
        series.ValueLabelStyle.FontSize = 11;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 35;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        // Room for the rotated labels (about 7 px per character at this font size).
        plot.Axes.Bottom.MinimumSize = 30 + 6 * results.Select(r => r.Point.Length).DefaultIfEmpty(10).Max();
        plot.Axes.Margins(bottom: 0);
        plot.YLabel("linear top-1 (%)");
        plot.Title(grid.Title);
        plot.Axes.Title.Label.FontSize = 14;
        plot.Axes.Right.Label.Text = "red: collapse, grey: refused";
        plot.Axes.Right.Label.FontSize = 12;
        int width = Math.Max(800, 100 * results.Count + 260);
        var tmp = ChartPath(grid) + ".tmp.png";
        plot.SavePng(tmp, width, 600);
        File.Move(tmp, ChartPath(grid), overwrite: true);
    }
}
