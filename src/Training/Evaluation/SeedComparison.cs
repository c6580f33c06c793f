using MathNet.Numerics.Distributions;

namespace Vicreg.Training.Evaluation;

/// <summary>
/// The difference of two sets of runs (mean of A − mean of B, in points), its 95% interval, the two-sided p-value of
/// the t-test behind it and that test's degrees of freedom (fractional for Welch's). <see cref="PValue"/> and
/// <see cref="Ci"/> are NaN where the test is undefined: fewer than two runs, or no spread at all (every seed gave
/// the same accuracy, so a t statistic would divide by zero and say nothing about the next seed).
/// </summary>
public sealed record Comparison(double Difference, Interval Ci, double PValue, double DegreesOfFreedom, int Runs)
{
    /// <summary>Two-sided test at the 5% level; false where the test is undefined.</summary>
    public bool Significant => PValue < 0.05;

    public static Comparison Undefined(double difference, int runs) =>
        new(difference, new Interval(double.NaN, double.NaN), double.NaN, double.NaN, runs);
}

/// <summary>
/// t-tests between sets of runs (seeds), with MathNet.Numerics' Student-t distribution: Welch's unequal-variance
/// test for independent sets, and the paired test for runs that share a seed (same initial weights and data order,
/// so the per-seed difference cancels much of the seed's own noise). Values are pinned against scipy.stats in
/// tests/fixtures/seed-statistics.json (bench/reference/make_statistics_fixtures.py).
/// </summary>
public static class SeedComparison
{
    /// <summary>The 1 − α/2 quantile of Student's t at <paramref name="df"/> degrees of freedom (fractional allowed).</summary>
    public static double TQuantile(double df, double alpha = 0.05) =>
        df > 0 && !double.IsNaN(df) ? StudentT.InvCDF(0, 1, df, 1 - alpha / 2) : double.NaN;

    /// <summary>Two-sided p-value of a t statistic at <paramref name="df"/> degrees of freedom.</summary>
    public static double TwoSidedP(double t, double df) =>
        df > 0 && !double.IsNaN(t) ? 2 * StudentT.CDF(0, 1, df, -Math.Abs(t)) : double.NaN;

    /// <summary>Welch's t-test of mean(<paramref name="a"/>) − mean(<paramref name="b"/>), NaNs dropped.</summary>
    public static Comparison Welch(IEnumerable<double> a, IEnumerable<double> b)
    {
        var x = a.Where(v => !double.IsNaN(v)).ToArray();
        var y = b.Where(v => !double.IsNaN(v)).ToArray();
        int runs = Math.Min(x.Length, y.Length);
        if (x.Length == 0 || y.Length == 0) return Comparison.Undefined(double.NaN, runs);
        double diff = x.Average() - y.Average();
        if (x.Length < 2 || y.Length < 2) return Comparison.Undefined(diff, runs);
        double vx = Variance(x) / x.Length, vy = Variance(y) / y.Length;
        if (vx + vy == 0) return Comparison.Undefined(diff, runs);
        double se = Math.Sqrt(vx + vy);
        double df = (vx + vy) * (vx + vy) / (vx * vx / (x.Length - 1) + vy * vy / (y.Length - 1));
        double half = TQuantile(df) * se;
        return new Comparison(diff, new Interval(diff - half, diff + half), TwoSidedP(diff / se, df), df, runs);
    }

    /// <summary>The paired t-test of the per-seed differences A − B (pairs with a NaN side dropped).</summary>
    public static Comparison Paired(IEnumerable<(double A, double B)> pairs)
    {
        var d = pairs.Where(p => !double.IsNaN(p.A) && !double.IsNaN(p.B)).Select(p => p.A - p.B).ToArray();
        if (d.Length == 0) return Comparison.Undefined(double.NaN, 0);
        double mean = d.Average();
        if (d.Length < 2) return Comparison.Undefined(mean, d.Length);
        double se = Math.Sqrt(Variance(d) / d.Length);
        if (se == 0) return Comparison.Undefined(mean, d.Length);
        double df = d.Length - 1, half = TQuantile(df) * se;
        return new Comparison(mean, new Interval(mean - half, mean + half), TwoSidedP(mean / se, df), df, d.Length);
    }

    /// <summary>Sample variance (n − 1 in the denominator).</summary>
    static double Variance(double[] v)
    {
        double m = v.Average();
        return v.Sum(x => (x - m) * (x - m)) / (v.Length - 1);
    }
}
