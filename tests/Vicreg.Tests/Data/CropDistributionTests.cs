using Vicreg.Data;
using Xunit;

namespace Vicreg.Tests.Data;

/// <summary>
/// RandomResizedCrop's box distribution against torchvision's own get_params draws (3000 per image
/// shape in the fixture), by two-sample Kolmogorov–Smirnov tests on the area fraction and on the log
/// aspect ratio, at α = 0.001 (critical D = 1.949·√((n+m)/(n·m))). The 1000×200 image exercises
/// the 10-attempt rejection and the centre-crop fallback (about a fifth of its draws).
/// </summary>
public class CropDistributionTests
{
    private const int Draws = 20000;

    private static double KsStatistic(double[] a, double[] b)
    {
        Array.Sort(a);
        Array.Sort(b);
        int i = 0, j = 0;
        double d = 0;
        while (i < a.Length && j < b.Length)
        {
            double x = Math.Min(a[i], b[j]);
            while (i < a.Length && a[i] <= x) i++;
            while (j < b.Length && b[j] <= x) j++;
            d = Math.Max(d, Math.Abs((double)i / a.Length - (double)j / b.Length));
        }
        return d;
    }

    private static double Critical(int n, int m) => Math.Sqrt(-Math.Log(0.001 / 2) / 2) * Math.Sqrt((double)(n + m) / ((double)n * m));

    private static (double[] Area, double[] LogRatio) Ours(int w, int h, ViewAugmentation view, int seed)
    {
        var rng = new Random(seed);
        var area = new double[Draws];
        var ratio = new double[Draws];
        for (int k = 0; k < Draws; k++)
        {
            var box = ImageAugmenter.SampleCropBox(w, h, view, rng);
            Assert.InRange(box.X, 0, w - box.Width);
            Assert.InRange(box.Y, 0, h - box.Height);
            area[k] = (double)box.Width * box.Height / ((double)w * h);
            ratio[k] = Math.Log((double)box.Width / box.Height);
        }
        return (area, ratio);
    }

    [Fact]
    public void AreaAndAspectRatioMatchTorchvisionByKolmogorovSmirnov()
    {
        foreach (var (w, h, draws) in AugmentFixtures.CropDraws())
        {
            double[] refArea = draws.Select(d => (double)d.W * d.H / ((double)w * h)).ToArray();
            double[] refRatio = draws.Select(d => Math.Log((double)d.W / d.H)).ToArray();
            var (area, ratio) = Ours(w, h, ViewAugmentation.OfficialViewA(), seed: w);
            double crit = Critical(Draws, draws.Length);
            double dArea = KsStatistic(area, refArea), dRatio = KsStatistic(ratio, refRatio);
            Assert.True(dArea < crit, $"{w}×{h}: area fraction KS D = {dArea:F4} ≥ {crit:F4}");
            Assert.True(dRatio < crit, $"{w}×{h}: log aspect ratio KS D = {dRatio:F4} ≥ {crit:F4}");
        }
    }

    [Fact]
    public void TheTestRejectsAWrongScaleRange()
    {
        // Power check: crops with area in (0.2, 1) instead of (0.08, 1) must be told apart.
        var (w, h, draws) = AugmentFixtures.CropDraws().First();
        double[] refArea = draws.Select(d => (double)d.W * d.H / ((double)w * h)).ToArray();
        var (area, _) = Ours(w, h, ViewAugmentation.OfficialViewA() with { ScaleMin = 0.2 }, seed: 3);
        Assert.True(KsStatistic(area, refArea) > Critical(Draws, draws.Length));
    }
}
