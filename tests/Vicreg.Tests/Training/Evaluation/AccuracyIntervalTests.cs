using Vicreg.Training.Evaluation;

namespace Vicreg.Tests.Training.Evaluation;

/// <summary>Wilson intervals, t intervals of several seeds and Welch's test, against hand-computed values.</summary>
public class AccuracyIntervalTests
{
    [Fact]
    public void WilsonIntervalOfHalfOfAThousandIsAboutThreePointsEachWay()
    {
        var ci = AccuracyInterval.Wilson(50, 1000);
        Assert.Equal(46.91, ci.Low, 2);
        Assert.Equal(53.09, ci.High, 2);
        var edge = AccuracyInterval.Wilson(0, 1000); // stays inside [0, 100], unlike p ± 1.96·SE
        Assert.Equal(0, edge.Low, 6);
        Assert.True(edge.High is > 0.3 and < 0.4);
    }

    [Fact]
    public void MeanStdAndTIntervalOfThreeSeeds()
    {
        var (mean, std, ci) = AccuracyInterval.OfRuns(new[] { 1.0, 2.0, 3.0 });
        Assert.Equal(2, mean, 9);
        Assert.Equal(1, std, 9);
        Assert.Equal(2 - 4.302652729911275 / Math.Sqrt(3), ci.Low, 9); // scipy: t.ppf(0.975, 2)
        Assert.True(double.IsNaN(AccuracyInterval.OfRuns(new[] { 5.0 }).Std));
    }

    [Fact]
    public void WelchSeparatesClearDifferencesAndNotNoise()
    {
        Assert.True(AccuracyInterval.Differ(new[] { 60.0, 61, 62 }, new[] { 40.0, 41, 42 }));
        Assert.False(AccuracyInterval.Differ(new[] { 50.0, 55, 45 }, new[] { 52.0, 47, 51 }));
        Assert.False(AccuracyInterval.Differ(new[] { 60.0 }, new[] { 40.0, 41 })); // one seed: no test
    }
}
