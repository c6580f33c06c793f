using Vicreg.Training.Evaluation;

namespace Vicreg.Tooling.Ablations;

/// <summary>One point of a seeded grid over its seeds: mean ± std and the 95% interval of each accuracy, the
/// random-init floor (mean of the seeds' random-init probes, NaN when not measured), how many runs collapsed, and
/// how its linear top-1 compares with the best point's (Welch's t-test; undefined when one side has no spread).</summary>
public sealed record AblationPointSummary(
    string Point, IReadOnlyList<string> Labels, int Runs, int Seeds, string Status,
    double LinearMean, double LinearStd, Interval LinearCi,
    double KnnMean, double KnnStd, Interval KnnCi,
    int Collapsed, bool IsBest, Comparison VsBest, double RandomInitMean = double.NaN)
{
    public bool Ok => Runs > 0;
    public bool DiffersFromBest => !IsBest && VsBest.Significant;
}

/// <summary>Groups a seeded grid's rows (one per point and seed) into one summary per point.</summary>
public static class AblationSummary
{
    public static IReadOnlyList<AblationPointSummary> Of(AblationGrid grid, IReadOnlyList<AblationResult> results)
    {
        int seeds = grid.HasSeeds ? grid.Axes[^1].Values.Count : 1;
        int keep = grid.PointAxes.Count;
        var groups = results.GroupBy(r => string.Join(" / ", r.Labels.Take(keep))).ToList();
        var ok = groups.ToDictionary(g => g.Key, g => g.Where(r => r.Status == "ok" && !double.IsNaN(r.LinearTop1)).ToList());
        string? best = ok.Where(p => p.Value.Count > 0).OrderByDescending(p => p.Value.Average(r => r.LinearTop1)).Select(p => p.Key).FirstOrDefault();
        var bestValues = best is null ? new List<double>() : ok[best].Select(r => r.LinearTop1).ToList();
        return groups.Select(g =>
        {
            var runs = ok[g.Key];
            var linear = runs.Select(r => r.LinearTop1).ToList();
            var (lm, ls, lci) = AccuracyInterval.OfRuns(linear);
            var (km, ks, kci) = AccuracyInterval.OfRuns(runs.Select(r => r.KnnTop1).ToList());
            var floor = runs.Select(r => r.RandomInitTop1).Where(v => !double.IsNaN(v)).ToList();
            string status = runs.Count > 0 ? "ok" : g.First().Status;
            return new AblationPointSummary(g.Key, g.First().Labels.Take(keep).ToList(), runs.Count, seeds, status, lm, ls, lci, km, ks, kci,
                runs.Count(r => r.Collapsed), g.Key == best, SeedComparison.Welch(linear, bestValues),
                floor.Count > 0 ? floor.Average() : double.NaN);
        }).ToList();
    }

    /// <summary>Chance in percent from the class count the runs measured on their own data (100 / classes); NaN when
    /// no run recorded it. Not the config's data.synthetic.classes, which real data sets leave at its default.</summary>
    public static double ChancePercent(IReadOnlyList<AblationResult> results)
    {
        var classes = results.Where(r => r.Classes > 0).Select(r => r.Classes).Distinct().ToList();
        return classes.Count == 1 ? 100.0 / classes[0] : double.NaN;
    }
}
