using System.Text.Json;
using Vicreg.Training.Evaluation;

namespace Vicreg.Tests.Training.Evaluation;

/// <summary>t quantiles, p-values, Welch's and the paired test against scipy.stats
/// (tests/fixtures/seed-statistics.json, written by bench/reference/make_statistics_fixtures.py).</summary>
public class SeedComparisonTests
{
    static readonly JsonElement Golden = Fixtures.Load("seed-statistics.json");

    [Fact]
    public void TQuantilesMatchScipyAtWholeAndFractionalDegreesOfFreedom()
    {
        foreach (var row in Golden.GetProperty("t_quantiles").EnumerateArray())
        {
            double df = row.GetProperty("df").GetDouble();
            // MathNet inverts the CDF numerically; 1e-8 relative is far below the 0.1 points a report prints.
            Close.Scalar(row.GetProperty("q975").GetDouble(), SeedComparison.TQuantile(df), 1e-8, $"t.ppf(0.975, {df})");
        }
        Assert.True(double.IsNaN(SeedComparison.TQuantile(0)));
    }

    [Fact]
    public void TwoSidedPValuesMatchScipy()
    {
        foreach (var row in Golden.GetProperty("t_p_values").EnumerateArray())
        {
            double t = row.GetProperty("t").GetDouble(), df = row.GetProperty("df").GetDouble();
            Close.Scalar(row.GetProperty("p").GetDouble(), SeedComparison.TwoSidedP(t, df), 1e-9, $"p(t={t}, df={df})");
        }
    }

    [Fact]
    public void WelchMatchesScipyTtestInd()
    {
        foreach (var row in Golden.GetProperty("welch").EnumerateArray())
        {
            var c = SeedComparison.Welch(Fixtures.Doubles(row.GetProperty("a")), Fixtures.Doubles(row.GetProperty("b")));
            var ci = Fixtures.Doubles(row.GetProperty("ci"));
            Close.Scalar(row.GetProperty("difference").GetDouble(), c.Difference, 1e-12, "difference");
            Close.Scalar(row.GetProperty("df").GetDouble(), c.DegreesOfFreedom, 1e-12, "Welch df");
            Close.Scalar(row.GetProperty("p").GetDouble(), c.PValue, 1e-9, "Welch p");
            Close.Scalar(ci[0], c.Ci.Low, 1e-8, "Welch interval low");
            Close.Scalar(ci[1], c.Ci.High, 1e-8, "Welch interval high");
        }
    }

    [Fact]
    public void PairedMatchesScipyTtestRel()
    {
        foreach (var row in Golden.GetProperty("paired").EnumerateArray())
        {
            var a = Fixtures.Doubles(row.GetProperty("a"));
            var b = Fixtures.Doubles(row.GetProperty("b"));
            var c = SeedComparison.Paired(a.Zip(b));
            var ci = Fixtures.Doubles(row.GetProperty("ci"));
            Close.Scalar(row.GetProperty("difference").GetDouble(), c.Difference, 1e-12, "paired difference");
            Close.Scalar(row.GetProperty("p").GetDouble(), c.PValue, 1e-9, "paired p");
            Close.Scalar(ci[0], c.Ci.Low, 1e-8, "paired interval low");
            Close.Scalar(ci[1], c.Ci.High, 1e-8, "paired interval high");
            Assert.Equal(a.Length - 1, c.DegreesOfFreedom);
        }
    }

    [Fact]
    public void NoSpreadMeansNoTestNotASignificantDifference()
    {
        // Both seeds scored the same on each side (one image out of 87 apart): a t statistic would be infinite.
        var welch = SeedComparison.Welch(new[] { 47.1, 47.1 }, new[] { 48.3, 48.3 });
        Assert.Equal(47.1 - 48.3, welch.Difference, 9);
        Assert.True(double.IsNaN(welch.PValue));
        Assert.False(welch.Significant);
        Assert.False(AccuracyInterval.Differ(new[] { 47.1, 47.1 }, new[] { 48.3, 48.3 }));
        var paired = SeedComparison.Paired(new[] { (50.0, 48.0), (52.0, 50.0), (49.0, 47.0) }); // every seed +2
        Assert.Equal(2, paired.Difference, 9);
        Assert.True(double.IsNaN(paired.Ci.Low));
        Assert.False(paired.Significant);
        Assert.False(SeedComparison.Paired(new[] { (50.0, 48.0) }).Significant); // one seed: no test
    }
}
