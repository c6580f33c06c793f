using Vicreg.Data;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training;

/// <summary>Random tensors as views, [4, 3, 16, 16] each: the trainer needs nothing but <see cref="IViewPairSource"/>.</summary>
internal sealed class RandomViews(int batchesPerEpoch) : IViewPairSource
{
    public int BatchesPerEpoch => batchesPerEpoch;
    public int SkippedFiles => 0;
    public string Describe(int index) => $"img{index}.png";

    public IEnumerable<TwoViewBatch> Epoch(int epoch, int skipBatches = 0)
    {
        for (int b = skipBatches; b < BatchesPerEpoch; b++)
            yield return new TwoViewBatch(randn(4, 3, 16, 16), randn(4, 3, 16, 16), zeros(4, ScalarType.Int64), Enumerable.Range(4 * b, 4).ToArray());
    }
}
