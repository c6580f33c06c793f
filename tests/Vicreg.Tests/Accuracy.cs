namespace Vicreg.Tests;

/// <summary>Checks of reported accuracies that can fail: a top-1 (or R@1) over <c>n</c> items is a whole number of
/// hits out of n, so a wrong denominator, a fraction reported as a percentage or a NaN shows.</summary>
internal static class Accuracy
{
    public static void IsHitsOutOf(double percent, int n, string what)
    {
        Assert.True(n > 0, $"{what}: no items");
        double hits = percent * n / 100;
        Assert.True(double.IsFinite(percent) && percent is >= 0 and <= 100 && Math.Abs(hits - Math.Round(hits)) < 1e-6,
            $"{what}: {percent}% is not a whole number of hits out of {n}");
    }
}
