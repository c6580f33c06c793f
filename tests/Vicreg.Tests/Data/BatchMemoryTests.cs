using Vicreg.Data;
using Vicreg.Data.Views;
using Xunit;
using static TorchSharp.torch;

namespace Vicreg.Tests.Data;

/// <summary>The loader writes batches into recycled memory: a block comes back only once libtorch has let go of it,
/// and batches built in recycled memory are those the preview draws afresh.</summary>
public class BatchMemoryTests : IDisposable
{
    private readonly SmallImageFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void TensorSharesTheBlockAndTheBlockReturnsOnlyWhenEveryViewIsGone()
    {
        var memory = new BatchMemory(keep: 4);
        var (t, floats) = memory.Rent<float>(new long[] { 2, 3 });
        floats.Span[4] = 7.5f; // written after the tensor exists: the tensor sees it (no copy)
        Assert.Equal(7.5f, At(t, 4));
        var row = t[1]; // a view keeps the storage alive
        t.Dispose();
        Assert.Equal(0, memory.FreeBlocks);
        var (other, _) = memory.Rent<float>(new long[] { 3, 2 }); // same size, but the first block is still held
        Assert.Equal(2, memory.Allocated);
        using (var x = row[1]) Assert.Equal(7.5f, x.item<float>());
        row.Dispose();
        Assert.Equal(1, memory.FreeBlocks);
        var (again, _) = memory.Rent<float>(new long[] { 6 });
        Assert.Equal(2, memory.Allocated); // the returned block, not a new one
        Assert.Equal(7.5f, At(again, 4));
        var (bytes, b) = memory.Rent<byte>(new long[] { 6 });
        b.Span[5] = 200;
        Assert.Equal(ScalarType.Byte, bytes.dtype);
        using (var x = bytes[5]) Assert.Equal(200, x.item<byte>());
        foreach (var x in new[] { other, again, bytes }) x.Dispose();
        Assert.Equal(3, memory.FreeBlocks);
    }

    private static float At(Tensor t, long i)
    {
        using var flat = t.view(-1);
        using var x = flat[i];
        return x.item<float>();
    }

    [Fact]
    public void FreeBlocksAreCappedAtKeep()
    {
        var memory = new BatchMemory(keep: 1);
        var held = Enumerable.Range(0, 3).Select(_ => memory.Rent<float>(new long[] { 5 }).Tensor).ToList();
        foreach (var t in held) t.Dispose();
        Assert.Equal(1, memory.FreeBlocks);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    public void BatchesInRecycledMemoryEqualThePreviewAndReuseIt(int workers, int prefetch)
    {
        var data = folder.Train;
        using var loader = new ImageLoader(data);
        var batches = new TwoViewBatches(data, new BranchInput(loader, new ImageViewRecipe(ViewAugmentation.OfficialViewA(12), 12)),
            new BranchInput(loader, new ImageViewRecipe(ViewAugmentation.OfficialViewB(12), 12)), batchSize: 2, seed: 9, workers, prefetch);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            var replay = batches.Replay(epoch, data.Count);
            int b = 0;
            foreach (var batch in batches.Epoch(epoch))
                using (batch)
                {
                    float[] a = batch.ViewA.data<float>().ToArray(), v = batch.ViewB.data<float>().ToArray();
                    int per = a.Length / batch.Count;
                    for (int k = 0; k < batch.Count; k++)
                    {
                        var r = replay[b * 2 + k];
                        Assert.Equal(r.Index, batch.Indices[k]);
                        Assert.Equal(r.ViewA, a[(k * per)..((k + 1) * per)]);
                        Assert.Equal(r.ViewB, v[(k * per)..((k + 1) * per)]);
                    }
                    b++;
                }
            Assert.Equal(6, b);
        }
        // Two branches × (the prefetched batches + the consumer's): 12 batches were built in that much memory.
        Assert.InRange(batches.Memory.Allocated, 2, 2 * (prefetch + 1));
    }
}
