using System.Globalization;
using System.Text;
using Vicreg.Training.Evaluation;

namespace Vicreg.Tooling.Ablations;

/// <summary>One between-column difference of a seeded grid: in row <see cref="Row"/>, column <see cref="Column"/>
/// minus column <see cref="Baseline"/> (linear top-1, points), paired by seed and, for comparison, Welch's test of
/// the two sets as if unpaired.</summary>
public sealed record AblationDifference(string Row, string Column, string Baseline, Comparison Paired, Comparison Welch);

/// <summary>
/// The differences a reader of the paper's tables looks at: in each row, every column against the first (Table 5:
/// DW − SW per method). A grid with one point axis compares every row with the first. Runs of the same seed are
/// paired (same initial weights and data order), so the paired interval is the one to read; Welch's is there to
/// show how much pairing buys. Written to differences.csv and into results.md.
/// </summary>
public static class AblationDifferences
{
    public static string CsvPath(AblationGrid grid) => Path.Combine(grid.Folder, "differences.csv");

    public static IReadOnlyList<AblationDifference> Of(AblationGrid grid, IReadOnlyList<AblationResult> results)
    {
        if (!grid.HasSeeds) return Array.Empty<AblationDifference>();
        int keep = grid.PointAxes.Count;
        var ok = results.Where(r => r.Status == "ok" && !double.IsNaN(r.LinearTop1)).ToList();
        // point key → seed label → linear top-1
        var bySeed = ok.GroupBy(r => string.Join(" / ", r.Labels.Take(keep)))
            .ToDictionary(g => g.Key, g => g.GroupBy(r => r.Labels[keep]).ToDictionary(s => s.Key, s => s.First().LinearTop1));
        var pairs = new List<(string Row, string Column, string Baseline, string A, string B)>();
        if (keep == 1)
        {
            var rows = grid.PointAxes[0].Values.Select(v => v.Label).ToList();
            pairs.AddRange(rows.Skip(1).Select(r => ("", r, rows[0], r, rows[0])));
        }
        else
        {
            var columns = grid.Points().Select(p => p.Labels.Skip(1).Take(keep - 1).ToList()).Select(l => string.Join(" / ", l)).Distinct().ToList();
            foreach (var row in grid.PointAxes[0].Values.Select(v => v.Label))
                pairs.AddRange(columns.Skip(1).Select(c => (row, c, columns[0], $"{row} / {c}", $"{row} / {columns[0]}")));
        }
        var differences = new List<AblationDifference>();
        foreach (var (row, column, baseline, a, b) in pairs)
        {
            if (!bySeed.TryGetValue(a, out var x) || !bySeed.TryGetValue(b, out var y)) continue;
            var paired = SeedComparison.Paired(x.Keys.Intersect(y.Keys).Select(s => (x[s], y[s])));
            differences.Add(new AblationDifference(row, column, baseline, paired, SeedComparison.Welch(x.Values, y.Values)));
        }
        return differences;
    }

    static string F(double v, string format) => double.IsNaN(v) ? "" : v.ToString(format, CultureInfo.InvariantCulture);

    static string P(double p) => double.IsNaN(p) ? "undefined" : p < 0.001 ? "< 0.001" : p.ToString("0.000", CultureInfo.InvariantCulture);

    static string Ci(Comparison c) => double.IsNaN(c.Ci.Low) ? "undefined" : FormattableString.Invariant($"[{c.Ci.Low:+0.0;-0.0}, {c.Ci.High:+0.0;-0.0}]");

    /// <summary>differences.csv: one row per difference, full precision.</summary>
    public static void WriteCsv(AblationGrid grid, IReadOnlyList<AblationDifference> differences)
    {
        var sb = new StringBuilder("row,column,baseline,seeds,difference,paired_low,paired_high,paired_p,paired_df,welch_low,welch_high,welch_p,welch_df\n");
        static string Q(string s) => s.IndexOfAny(new[] { ',', '"' }) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
        foreach (var d in differences)
            sb.AppendLine(string.Join(",", Q(d.Row), Q(d.Column), Q(d.Baseline), d.Paired.Runs.ToString(CultureInfo.InvariantCulture),
                F(d.Paired.Difference, "R"), F(d.Paired.Ci.Low, "R"), F(d.Paired.Ci.High, "R"), F(d.Paired.PValue, "R"), F(d.Paired.DegreesOfFreedom, "R"),
                F(d.Welch.Ci.Low, "R"), F(d.Welch.Ci.High, "R"), F(d.Welch.PValue, "R"), F(d.Welch.DegreesOfFreedom, "R")));
        File.WriteAllText(CsvPath(grid), sb.ToString());
    }

    /// <summary>The section of results.md: one line per difference, with the paired and Welch intervals and p-values.</summary>
    public static void AppendMarkdown(StringBuilder sb, IReadOnlyList<AblationDifference> differences)
    {
        if (differences.Count == 0) return;
        sb.AppendLine().AppendLine("Differences in linear top-1 (points), paired by seed; \"undefined\" where every seed gave the same " +
                                   "difference (no spread: a t-test says nothing then). Welch's test ignores the pairing.").AppendLine();
        sb.AppendLine("| row | difference | seeds | mean | paired 95% interval | paired p | Welch 95% interval | Welch p (df) |");
        sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var d in differences)
            sb.AppendLine($"| {d.Row} | {d.Column} − {d.Baseline} | {d.Paired.Runs} | {F(d.Paired.Difference, "+0.0;-0.0;0.0")} | {Ci(d.Paired)} | {P(d.Paired.PValue)} | " +
                          $"{Ci(d.Welch)} | {P(d.Welch.PValue)}{(double.IsNaN(d.Welch.DegreesOfFreedom) ? "" : $" ({F(d.Welch.DegreesOfFreedom, "0.0")})")} |");
    }
}
