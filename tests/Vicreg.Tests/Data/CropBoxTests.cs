using Vicreg.Data;
using Xunit;

namespace Vicreg.Tests.Data;

public class CropBoxTests
{
    /// <summary>E[area fraction] of torchvision's RandomResizedCrop on a large square image: the first
    /// accepted draw is distributed as (s, log r) uniform conditioned on s ≤ min(r, 1/r).</summary>
    private static double ExpectedAreaFraction(double sMin, double sMax, double rMin, double rMax)
    {
        const int n = 2000;
        double num = 0, den = 0, lo = Math.Log(rMin), hi = Math.Log(rMax);
        for (int i = 0; i < n; i++)
        {
            double s = sMin + (i + 0.5) / n * (sMax - sMin);
            for (int j = 0; j < n; j++)
            {
                double r = Math.Exp(lo + (j + 0.5) / n * (hi - lo));
                if (s <= Math.Min(r, 1 / r)) { num += s; den += 1; }
            }
        }
        return num / den;
    }

    [Fact]
    public void AreaFractionAndRatioMatchTorchvision()
    {
        var view = ViewAugmentation.OfficialViewA();
        var rng = new Random(123);
        const int w = 1000, h = 1000, draws = 20000;
        double sum = 0;
        for (int k = 0; k < draws; k++)
        {
            var box = ImageAugmenter.SampleCropBox(w, h, view, rng);
            Assert.InRange(box.X, 0, w - box.Width);
            Assert.InRange(box.Y, 0, h - box.Height);
            double ratio = (double)box.Width / box.Height;
            Assert.InRange(ratio, 0.75 - 0.01, 4.0 / 3 + 0.01);
            sum += (double)box.Width * box.Height / (w * h);
        }
        double expected = ExpectedAreaFraction(0.08, 1.0, 0.75, 4.0 / 3);
        Assert.InRange(expected, 0.45, 0.54); // sanity: rejections pull it below the unconditioned 0.54
        Assert.InRange(sum / draws, expected - 0.01, expected + 0.01);
    }

    [Fact]
    public void VeryWideImageFallsBackToARatioClampedCentreCrop()
    {
        var box = ImageAugmenter.SampleCropBox(1000, 10, ViewAugmentation.OfficialViewA(), new Random(0));
        // in_ratio 100 > 4/3: h = 10, w = round(10 * 4/3) = 13, centred.
        Assert.Equal(new CropBox(493, 0, 13, 10), box);
    }

    [Fact]
    public void FullScaleSquareCropIsTheWholeImage()
    {
        var view = new ViewAugmentation(ScaleMin: 1, ScaleMax: 1, RatioMin: 1, RatioMax: 1);
        Assert.Equal(new CropBox(0, 0, 64, 64), ImageAugmenter.SampleCropBox(64, 64, view, new Random(1)));
    }
}
