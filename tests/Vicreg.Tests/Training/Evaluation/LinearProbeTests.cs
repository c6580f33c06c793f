using Vicreg.Training.Evaluation;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training.Evaluation;

public class LinearProbeTests
{
    [Fact]
    public void SeparableFeaturesAreClassifiedAndNoiseIsNot()
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        var labels = arange(400, dtype: ScalarType.Int64) % 4;
        var centres = randn(4, 16) * 3;
        var informative = centres.index_select(0, labels) + randn(400, 16);
        var noise = randn(400, 16);
        ProbeResult Fit(Tensor x) => LinearProbe.Fit(new FeatureSet(x[..300], labels[..300]), new FeatureSet(x[300..], labels[300..]), 4,
            new LinearProbeOptions(Epochs: 30));
        var good = Fit(informative);
        var bad = Fit(noise);
        Assert.True(good.Top1 > 95, $"separable clusters: top-1 {good.Top1}");
        Assert.True(bad.Top1 < 45, $"pure noise: top-1 {bad.Top1} (chance is 25)");
        Assert.Equal(100.0, good.Top5); // k = min(5, classes) = 4 covers every class
    }

    [Fact]
    public void TopKCountsALabelAmongTheKLargestLogits()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 0.1f, 0.9f, 0.5f, 0.8f, 0.2f, 0.3f }, new long[] { 2, 3 });
        var labels = tensor(new long[] { 2, 1 }); // row 0: 2nd largest; row 1: smallest
        Assert.Equal(0.0, LinearProbe.TopK(logits, labels, 1));
        Assert.Equal(50.0, LinearProbe.TopK(logits, labels, 2));
    }
}
