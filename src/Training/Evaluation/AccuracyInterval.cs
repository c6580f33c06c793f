namespace Vicreg.Training.Evaluation;

/// <summary>A 95% interval in percent.</summary>
public readonly record struct Interval(double Low, double High)
{
    public double HalfWidth => (High - Low) / 2;
    public override string ToString() => FormattableString.Invariant($"[{Low:F1}, {High:F1}]");
}

/// <summary>
/// Uncertainty of accuracies. One accuracy measured on n held-out samples: the Wilson score interval of a
/// binomial proportion (well behaved near 0% and 100%, unlike p ± 1.96·SE). Several runs (seeds): mean ±
/// sample std and the Student-t interval of the mean (quantiles from MathNet.Numerics, see SeedComparison).
/// </summary>
public static class AccuracyInterval
{
    const double Z95 = 1.959963984540054;

    /// <summary>Wilson 95% interval of <paramref name="percent"/> correct out of <paramref name="n"/>.</summary>
    public static Interval Wilson(double percent, int n)
    {
        if (n <= 0 || double.IsNaN(percent)) return new Interval(double.NaN, double.NaN);
        double p = percent / 100, z2 = Z95 * Z95;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z95 * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        return new Interval(100 * Math.Max(0, centre - half), 100 * Math.Min(1, centre + half));
    }

    /// <summary>Mean, sample standard deviation and the t-based 95% interval of the mean (NaN where undefined).</summary>
    public static (double Mean, double Std, Interval Ci) OfRuns(IReadOnlyList<double> values)
    {
        var v = values.Where(x => !double.IsNaN(x)).ToArray();
        if (v.Length == 0) return (double.NaN, double.NaN, new Interval(double.NaN, double.NaN));
        double mean = v.Average();
        if (v.Length == 1) return (mean, double.NaN, new Interval(double.NaN, double.NaN));
        double std = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        double half = SeedComparison.TQuantile(v.Length - 1) * std / Math.Sqrt(v.Length);
        return (mean, std, new Interval(mean - half, mean + half));
    }

    /// <summary>Welch's t-test at the 5% level, two-sided: whether two sets of runs differ in mean. False where the
    /// test is undefined (one run, or every run of both sets gave the same accuracy).</summary>
    public static bool Differ(IReadOnlyList<double> a, IReadOnlyList<double> b) => SeedComparison.Welch(a, b).Significant;
}
