using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using Vicreg.Data;
using Vicreg.Data.Views;
using Xunit;
using static TorchSharp.torch;

namespace Vicreg.Tests.Data;

public class TwoViewBatchesTests : IDisposable
{
    private readonly SmallImageFolder folder = new();
    private TempDir _dir => folder.Dir;
    private ImageFolderDataset _data => folder.Train;

    public void Dispose() => folder.Dispose();

    private TwoViewBatches Make(ImageLoader loader, IReadOnlyList<Sample> samples, int batch, int workers, int seed = 9) =>
        new(samples, new BranchInput(loader, new ImageViewRecipe(ViewAugmentation.OfficialViewA(12), 12)),
            new BranchInput(loader, new ImageViewRecipe(ViewAugmentation.OfficialViewB(12), 12)), batch, seed, workers);

    private static float[] Data(Tensor t) => t.data<float>().ToArray();

    [Fact]
    public void BatchesHaveTheDocumentedShapesAndTypes()
    {
        using var loader = new ImageLoader(_data);
        var batches = Make(loader, _data, batch: 5, workers: 2);
        Assert.Equal(2, batches.BatchesPerEpoch); // 12 / 5, last partial batch dropped
        var seen = new List<int>();
        foreach (var b in batches.Epoch(0))
            using (b)
            {
                Assert.Equal(new long[] { 5, 3, 12, 12 }, b.ViewA.shape);
                Assert.Equal(new long[] { 5, 3, 12, 12 }, b.ViewB.shape);
                Assert.Equal(ScalarType.Float32, b.ViewA.dtype);
                Assert.Equal(ScalarType.Int64, b.Labels.dtype);
                Assert.True(b.ViewA.is_contiguous() && b.ViewB.is_contiguous());
                Assert.Equal(DeviceType.CPU, b.ViewA.device_type);
                Assert.Equal(b.Indices.Select(i => (long)_data[i].Label), b.Labels.data<long>().ToArray());
                Assert.NotEqual(Data(b.ViewA), Data(b.ViewB));
                seen.AddRange(b.Indices);
            }
        Assert.Equal(10, seen.Distinct().Count());
    }

    [Fact]
    public void TooFewSamplesForOneBatchIsAClearError()
    {
        using var loader = new ImageLoader(_data);
        var ex = Assert.Throws<ArgumentException>(() => Make(loader, _data, batch: 13, workers: 1));
        Assert.Contains("12 samples", ex.Message);
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(3, 1)]
    [InlineData(4, 3)]
    public void BatchesDoNotDependOnWorkerCountOrPrefetch(int workers, int prefetch)
    {
        using var loader = new ImageLoader(_data, cacheDecoded: true);
        var one = Make(loader, _data, batch: 4, workers: 1).Epoch(1).ToList();
        var many = new TwoViewBatches(_data, new BranchInput(loader, new ImageViewRecipe(ViewAugmentation.OfficialViewA(12), 12)), new BranchInput(loader, new ImageViewRecipe(ViewAugmentation.OfficialViewB(12), 12)), 4, 9, workers, prefetch)
            .Epoch(1).ToList();
        Assert.Equal(one.Count, many.Count);
        for (int i = 0; i < one.Count; i++)
        {
            Assert.Equal(one[i].Indices, many[i].Indices);
            Assert.Equal(Data(one[i].ViewA), Data(many[i].ViewA));
            Assert.Equal(Data(one[i].ViewB), Data(many[i].ViewB));
        }
        foreach (var b in one.Concat(many)) b.Dispose();
    }

    [Fact]
    public void LoaderMemoryIsBoundedByThePrefetchDepth()
    {
        using var loader = new ImageLoader(_data);
        const int batch = 2, prefetch = 1, workers = 3;
        var batches = new TwoViewBatches(_data, new BranchInput(loader, new ImageViewRecipe(ViewAugmentation.OfficialViewA(12), 12)), new BranchInput(loader, new ImageViewRecipe(ViewAugmentation.OfficialViewB(12), 12)), batch, 9, workers, prefetch);
        foreach (var b in batches.Epoch(0))
            using (b)
                Thread.Sleep(20); // a slow consumer: the workers must wait rather than run ahead
        long batchBytes = 2L * batch * 3 * 12 * 12 * sizeof(float);
        long maxImage = _data.Max(s => { using var img = SixLabors.ImageSharp.Image.Load(s.Path); return 3L * img.Width * img.Height; });
        Assert.True(batches.PeakBytesInFlight >= batchBytes, $"peak {batches.PeakBytesInFlight} B never held one batch");
        Assert.True(batches.PeakBytesInFlight <= prefetch * batchBytes + workers * maxImage,
            $"peak {batches.PeakBytesInFlight} B exceeds {prefetch} prefetched batch(es) of {batchBytes} B + {workers} decoded images");
    }

    [Fact]
    public void ViewsDependOnlyOnSeedEpochAndIndex()
    {
        using var loader = new ImageLoader(_data, cacheDecoded: true);
        // Different batch sizes put samples in different batches and slots; the views must not change.
        var byIndex3 = Rows(Make(loader, _data, batch: 3, workers: 2).Epoch(2));
        var byIndex4 = Rows(Make(loader, _data, batch: 4, workers: 2).Epoch(2));
        Assert.Equal(12, byIndex3.Count);
        foreach (var (index, rows) in byIndex3)
        {
            Assert.Equal(rows.A, byIndex4[index].A);
            Assert.Equal(rows.B, byIndex4[index].B);
        }

        // Another epoch: another order and other views.
        var batches = Make(loader, _data, batch: 4, workers: 2);
        Assert.NotEqual(batches.Permutation(2), batches.Permutation(3));
        var epoch3 = Rows(batches.Epoch(3));
        Assert.NotEqual(byIndex4[0].A, epoch3[0].A);
    }

    private static Dictionary<int, (float[] A, float[] B)> Rows(IEnumerable<TwoViewBatch> epoch)
    {
        var rows = new Dictionary<int, (float[], float[])>();
        foreach (var b in epoch)
            using (b)
            {
                float[] a = Data(b.ViewA), v = Data(b.ViewB);
                int per = a.Length / b.Indices.Length;
                for (int k = 0; k < b.Indices.Length; k++)
                    rows[b.Indices[k]] = (a[(k * per)..((k + 1) * per)], v[(k * per)..((k + 1) * per)]);
            }
        return rows;
    }

    [Fact]
    public void BadImagesAreSubstitutedNotThrown()
    {
        string bad1 = _dir.Touch("bad", "zero.jpg");
        string bad2 = Path.Combine(_dir.Path, "bad", "garbage.png");
        File.WriteAllBytes(bad2, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 });
        var samples = _data.Take(4).Append(new Sample(bad1, 0)).Append(new Sample(bad2, 1)).ToArray();
        var log = new StringWriter();
        using var loader = new ImageLoader(samples, log: log);
        var batches = Make(loader, samples, batch: 6, workers: 2);
        foreach (var b in batches.Epoch(0))
            using (b)
            {
                Assert.Equal(6, b.Indices.Length);
                Assert.All(b.Indices, i => Assert.InRange(i, 0, 3));
            }
        Assert.Equal(2, loader.SkippedCount);
        Assert.Contains(bad1, log.ToString());
        Assert.Contains(bad2, log.ToString());
    }

    [Fact]
    public void AbandonedEpochDoesNotThrow()
    {
        using var loader = new ImageLoader(_data);
        using var first = Make(loader, _data, batch: 2, workers: 2).Epoch(0).First();
        Assert.Equal(2, first.Indices.Length);
    }
}
