using Vicreg.Data;
using Vicreg.Data.Views;
using Xunit;
using static TorchSharp.torch;

namespace Vicreg.Tests.Data;

/// <summary>data.augment_on device through the loader: batches carry the host part as bytes with each row's draws, and,
/// finished, equal the host mode's batches bit for bit (same draws from the same per-sample streams).</summary>
public class DeviceModeBatchesTests : IDisposable
{
    private readonly SmallImageFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static TwoViewBatches Make(ImageLoader loader, IReadOnlyList<Sample> samples, bool onDevice) =>
        new(samples, new BranchInput(loader, new ImageViewRecipe(ViewAugmentation.OfficialViewA(12), 12) { OnDevice = onDevice }),
            new BranchInput(loader, new ImageViewRecipe(ViewAugmentation.OfficialViewB(12), 12) { OnDevice = onDevice }), 4, seed: 9, workers: 2);

    [Fact]
    public void DeviceModeBatchesFinishToTheHostModeBatches()
    {
        using var loader = new ImageLoader(folder.Train);
        var host = Make(loader, folder.Train, onDevice: false).Epoch(1).ToList();
        var device = Make(loader, folder.Train, onDevice: true).Epoch(1).ToList();
        Assert.Equal(host.Count, device.Count);
        for (int b = 0; b < host.Count; b++)
        {
            using var h = host[b];
            using var d = device[b];
            Assert.Equal(h.Indices, d.Indices);
            Assert.Equal(ScalarType.Byte, d.ViewA.dtype);
            Assert.Equal(new long[] { 4, 12, 12, 3 }, d.ViewA.shape);
            Assert.Null(h.StageA);
            Assert.NotNull(d.StageA);
            Assert.Equal(4, d.StageB!.Drawn.Length);
            using var a = DeviceAugmenter.Finish(d.ViewA, d.StageA!);
            using var bb = DeviceAugmenter.Finish(d.ViewB, d.StageB!);
            Assert.Equal(h.ViewA.data<float>().ToArray(), a.data<float>().ToArray());
            Assert.Equal(h.ViewB.data<float>().ToArray(), bb.data<float>().ToArray());
        }
    }

    [Fact]
    public void DrawsOfDeviceBatchesAreThoseThePreviewReplays()
    {
        using var loader = new ImageLoader(folder.Train);
        var pairs = Make(loader, folder.Train, onDevice: true);
        var replay = pairs.Replay(0, 8);
        int row = 0;
        foreach (var batch in pairs.Epoch(0).Take(2))
            using (batch)
                for (int k = 0; k < batch.Count; k++, row++)
                {
                    Assert.Equal(replay[row].DrawnA, batch.StageA!.Drawn[k]);
                    Assert.Equal(replay[row].DrawnB, batch.StageB!.Drawn[k]);
                }
        Assert.Equal(8, row);
    }
}
