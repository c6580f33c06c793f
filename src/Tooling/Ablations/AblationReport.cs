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
        if (grid.HasSeeds)
        {
            var summary = AblationSummary.Of(grid, results);
            var differences = AblationDifferences.Of(grid, results);
            AblationDifferences.WriteCsv(grid, differences);
            File.WriteAllText(MarkdownPath(grid), SeededMarkdown(grid, summary, results, differences));
            SeededChart(grid, summary, ChanceOf(grid, results));
            return;
        }
        File.WriteAllText(MarkdownPath(grid), Markdown(grid, results));
        Chart(grid, results);
    }

    /// <summary>Chance from the class count the runs measured; before any run, the generated shapes' configured count.</summary>
    public static double ChanceOf(AblationGrid grid, IReadOnlyList<AblationResult> results)
    {
        double measured = AblationSummary.ChancePercent(results);
        return double.IsNaN(measured) ? grid.ChancePercent : measured;
    }

    static string FloorSentence(double low, double high) => FormattableString.Invariant(
        $" The same network at random init scores {(Math.Round(low, 1) == Math.Round(high, 1) ? $"{low:F1}" : $"{low:F1}–{high:F1}")}% (column \"random init\").");

    static string P(double p) => double.IsNaN(p) ? "" : p < 0.001 ? "p < 0.001" : FormattableString.Invariant($"p = {p:0.000}");

    static string VsBest(AblationPointSummary s) => !s.Ok ? "" : s.IsBest ? "best" :
        double.IsNaN(s.VsBest.PValue) ? "no test (no spread over the seeds)" :
        s.DiffersFromBest ? $"lower (significant, {P(s.VsBest.PValue)})" : $"not significant ({P(s.VsBest.PValue)})";

    static string Pm(double mean, double std) => double.IsNaN(mean) ? "" :
        double.IsNaN(std) ? mean.ToString("F1", CultureInfo.InvariantCulture) : FormattableString.Invariant($"{mean:F1} ± {std:F1}");

    static string Cell(AblationPointSummary? s) => s is null ? "…" : !s.Ok ? (s.Status.StartsWith("refused", StringComparison.Ordinal) ? "refused" : s.Status) :
        Pm(s.LinearMean, s.LinearStd) + (s.IsBest ? " (best)" : s.DiffersFromBest ? " *" : "") + (s.Collapsed > 0 ? $" (collapse {s.Collapsed}/{s.Runs})" : "");

    /// <summary>Seeded grids: mean ± std over the seeds in the paper's layout, "*" where a point's linear top-1
    /// differs from the best point's (Welch's t-test, 5%), then the intervals, the random-init floor and the p-values,
    /// then the between-column differences paired by seed, then every run.</summary>
    public static string SeededMarkdown(AblationGrid grid, IReadOnlyList<AblationPointSummary> summary, IReadOnlyList<AblationResult> results,
        IReadOnlyList<AblationDifference>? differences = null)
    {
        double chance = ChanceOf(grid, results);
        var floors = summary.Where(p => p.Ok && !double.IsNaN(p.RandomInitMean)).ToList();
        var byKey = summary.ToDictionary(s => s.Point);
        int seeds = grid.Axes[^1].Values.Count;
        var sb = new StringBuilder();
        sb.AppendLine($"# {grid.Title}").AppendLine();
        sb.AppendLine($"Linear-probe top-1 (%) of branch A's frozen backbone on the held-out images: mean ± std over {seeds} seeds " +
                      $"({string.Join(", ", grid.Axes[^1].Values.Select(v => v.Label))}). \"*\": differs from the best point (best) by Welch's " +
                      "t-test at the 5% level; no mark: not distinguishable from it with these seeds (or no spread to test). \"(collapse k/n)\": k of the n runs " +
                      "collapsed at the last epoch." +
                      (double.IsNaN(chance) ? "" : FormattableString.Invariant($" Chance is {chance:0.#}% ({100 / chance:0} classes).")) +
                      (floors.Count == 0 ? " The random-init floor was not measured (eval.compare_random_init)." :
                          FloorSentence(floors.Min(p => p.RandomInitMean), floors.Max(p => p.RandomInitMean))))
                  .AppendLine();
        var axes = grid.PointAxes;
        var rowAxis = axes[0];
        var columns = axes.Count == 1
            ? new List<(string Label, List<string> Suffix)> { ("linear top-1", new List<string>()) }
            : summary.Select(p => p.Labels.Skip(1).ToList()).DistinctBy(l => string.Join(" / ", l)).Select(l => (Label: string.Join(" / ", l), Suffix: l)).ToList();
        sb.AppendLine($"| {rowAxis.Name} | {string.Join(" | ", columns.Select(c => c.Label))} |");
        sb.AppendLine($"| --- |{string.Concat(columns.Select(_ => " --- |"))}");
        foreach (var row in rowAxis.Values)
            sb.AppendLine($"| {row.Label} | {string.Join(" | ", columns.Select(c => Cell(byKey.GetValueOrDefault(string.Join(" / ", new[] { row.Label }.Concat(c.Suffix))))))} |");
        if (grid.Paper is not null)
            sb.AppendLine().AppendLine("The paper's numbers for this table (100-epoch ImageNet, linear top-1): `" + grid.Paper + "`");
        sb.AppendLine().AppendLine("| point | runs | linear top-1 | 95% interval | random init | kNN top-1 | 95% interval | collapsed | vs best |");
        sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var s in summary)
            sb.AppendLine($"| {s.Point} | {s.Runs}/{s.Seeds}{(s.Ok ? "" : " " + s.Status)} | {Pm(s.LinearMean, s.LinearStd)} | {(s.Ok ? s.LinearCi.ToString() : "")} | " +
                          $"{(double.IsNaN(s.RandomInitMean) ? "" : s.RandomInitMean.ToString("F1", CultureInfo.InvariantCulture))} | " +
                          $"{Pm(s.KnnMean, s.KnnStd)} | {(s.Ok ? s.KnnCi.ToString() : "")} | {(s.Ok ? $"{s.Collapsed}/{s.Runs}" : "")} | {VsBest(s)} |");
        if (differences is not null) AblationDifferences.AppendMarkdown(sb, differences);
        RunTable(sb.AppendLine(), "run", results);
        return sb.ToString();
    }

    /// <summary>A bar per point at its mean over the seeds, with the 95% interval as an error bar and the chance level as a dashed line.</summary>
    public static void SeededChart(AblationGrid grid, IReadOnlyList<AblationPointSummary> summary, double chancePercent)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        for (int i = 0; i < summary.Count; i++)
        {
            var s = summary[i];
            double value = s.Ok && !double.IsNaN(s.LinearMean) ? s.LinearMean : 0;
            bars.Add(new Bar
            {
                Position = i,
                Value = value,
                Error = s.Ok && !double.IsNaN(s.LinearCi.HalfWidth) ? s.LinearCi.HalfWidth : 0,
                FillColor = !s.Ok ? Colors.LightGray : s.Collapsed > 0 ? Colors.FireBrick : Colors.SteelBlue,
                Label = !s.Ok ? (s.Status.StartsWith("refused", StringComparison.Ordinal) ? "refused" : "failed") : value.ToString("F1", CultureInfo.InvariantCulture),
            });
            ticks.Add(new Tick(i, s.Point));
        }
        var floors = summary.Where(p => p.Ok && !double.IsNaN(p.RandomInitMean)).Select(p => p.RandomInitMean).ToList();
        if (floors.Count > 0)
        {
            // One dotted line at the best random-init probe: what a bar must clear to show any learning.
            var floor = plot.Add.HorizontalLine(floors.Max());
            floor.LinePattern = LinePattern.Dotted;
            floor.LineColor = Colors.DimGray;
            floor.Text = FormattableString.Invariant($"random init {floors.Max():F1}%");
        }
        SaveBars(plot, grid, bars, ticks, chancePercent, $"linear top-1 (%), mean of {grid.Axes[^1].Values.Count} seeds ± 95% interval",
            "red: a seed collapsed, grey: refused; dashed: chance" + (floors.Count > 0 ? ", dotted: random init" : ""));
    }

    /// <summary>The layout both charts share (rotated point labels, title, legend on the right, a dashed chance line
    /// unless <paramref name="chancePercent"/> is NaN), written atomically.</summary>
    private static void SaveBars(Plot plot, AblationGrid grid, List<Bar> bars, List<Tick> ticks, double chancePercent, string yLabel, string legend)
    {
        var series = plot.Add.Bars(bars);
        series.ValueLabelStyle.FontSize = 11;
        if (!double.IsNaN(chancePercent))
        {
            var chance = plot.Add.HorizontalLine(chancePercent);
            chance.LinePattern = LinePattern.Dashed;
            chance.LineColor = Colors.Black;
            chance.Text = FormattableString.Invariant($"chance {chancePercent:F0}%");
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 35;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        // Room for the rotated labels (about 7 px per character at this font size).
        plot.Axes.Bottom.MinimumSize = 30 + 6 * ticks.Select(t => t.Label.Length).DefaultIfEmpty(10).Max();
        plot.Axes.Margins(bottom: 0);
        plot.YLabel(yLabel);
        plot.Title(grid.Title);
        plot.Axes.Title.Label.FontSize = 14;
        plot.Axes.Right.Label.Text = legend;
        plot.Axes.Right.Label.FontSize = 12;
        int width = Math.Max(800, 100 * bars.Count + 260);
        var tmp = ChartPath(grid) + ".tmp.png";
        plot.SavePng(tmp, width, 600);
        File.Move(tmp, ChartPath(grid), overwrite: true);
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
        RunTable(sb.AppendLine(), "point", results);
        return sb.ToString();
    }

    /// <summary>Every run in detail, one row each (a seeded grid calls its rows runs, a plain one points).</summary>
    private static void RunTable(StringBuilder sb, string first, IReadOnlyList<AblationResult> results)
    {
        string F(double v, string f) => double.IsNaN(v) ? "" : v.ToString(f, CultureInfo.InvariantCulture);
        sb.AppendLine($"| {first} | status | linear top-1 | kNN top-1 | collapse | mean std | RankMe | seconds |");
        sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var r in results)
            sb.AppendLine($"| {r.Point} | {r.Status} | {F(r.LinearTop1, "F1")} | {F(r.KnnTop1, "F1")} | {r.CollapseState} | {F(r.MeanStd, "F3")} | {F(r.RankMe, "F2")} | {F(r.Seconds, "F0")} |");
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
        SaveBars(plot, grid, bars, ticks, double.NaN, "linear top-1 (%)", "red: collapse, grey: refused");
    }
}
