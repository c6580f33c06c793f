using Vicreg.Data;
using Vicreg.Data.Views;
using static TorchSharp.torch;

namespace Vicreg.Tests.Data;

/// <summary>Multi-crop local views in the two-view pipeline: one tensor per group of its size, view-major; each local
/// view drawn from the (seed, epoch, "LOCL", sample) stream, so identical across worker counts and on resume, and
/// the global views the same with or without them.</summary>
public class MultiCropBatchesTests : IDisposable
{
    private readonly SmallImageFolder folder = new();
    private TempDir _dir => folder.Dir;
    private ImageFolderDataset _data => folder.Train;

    public void Dispose() => folder.Dispose();

    private static ImageViewRecipe Local(int size) =>
        new(ViewAugmentation.OfficialViewA(size) with { ScaleMin = 0.05, ScaleMax = 0.14 }, size);

    /// <summary>Branch A: 16-px global views, 2 local views of 8 px and 3 of 10 px; branch B: 1 local view of 6 px.</summary>
    private TwoViewBatches Make(ImageLoader loader, int workers, bool locals = true, int seed = 9) =>
        new(_data,
            new BranchInput(loader, new ImageViewRecipe(ViewAugmentation.OfficialViewA(16), 16),
                locals ? new[] { new LocalCrops(Local(8), 2), new LocalCrops(Local(10), 3) } : null),
            new BranchInput(loader, new ImageViewRecipe(ViewAugmentation.OfficialViewB(16), 16),
                locals ? new[] { new LocalCrops(Local(6), 1) } : null),
            batchSize: 4, seed, workers);

    private static float[] Data(Tensor t) => t.contiguous().data<float>().ToArray();

    [Fact]
    public void EachGroupOfLocalViewsIsOneTensorOfItsSize()
    {
        using var loader = new ImageLoader(_data, cacheDecoded: true);
        foreach (var b in Make(loader, workers: 2).Epoch(0))
            using (b)
            {
                Assert.Equal(new long[] { 4, 3, 16, 16 }, b.ViewA.shape);
                Assert.Equal(new long[] { 4, 3, 16, 16 }, b.ViewB.shape);
                Assert.Equal(new[] { (false, 2), (false, 3), (true, 1) }, b.Locals.Select(l => (l.BranchB, l.Count)));
                Assert.Equal(new long[] { 2 * 4, 3, 8, 8 }, b.Locals[0].Views.shape);
                Assert.Equal(new long[] { 3 * 4, 3, 10, 10 }, b.Locals[1].Views.shape);
                Assert.Equal(new long[] { 1 * 4, 3, 6, 6 }, b.Locals[2].Views.shape);
                Assert.All(b.Locals, l => Assert.Equal(4, l.BatchRows));
                Assert.All(b.Locals, l => Assert.True(l.Views.is_contiguous() && l.Views.dtype == ScalarType.Float32));
                // Different local views of one sample differ (rows k and B + k of a group).
                Assert.NotEqual(Data(b.Locals[0].Views[0]), Data(b.Locals[0].Views[4]));
            }
    }

    [Fact]
    public void LocalViewJOfSampleKIsRowJTimesBPlusKDrawnFromItsOwnStream()
    {
        using var loader = new ImageLoader(_data, cacheDecoded: true);
        var batches = Make(loader, workers: 3);
        using var b = batches.Epoch(2).Skip(1).First();
        for (int k = 0; k < b.Count; k++)
        {
            using var sample = ((ISampleReader)loader).TryDecode(b.Indices[k])!;
            var rng = SeedMix.Rng(9, 2, TwoViewBatches.LocalViewsTag, b.Indices[k]);
            // Branch A's groups first (2 × 8 px, 3 × 10 px), then branch B's (1 × 6 px), from one stream.
            foreach (var (group, recipe, count) in new[] { (0, Local(8), 2), (1, Local(10), 3), (2, Local(6), 1) })
                for (int j = 0; j < count; j++)
                {
                    var expected = new float[3 * recipe.Train.Size * recipe.Train.Size];
                    recipe.Draw(sample, rng, expected);
                    Assert.Equal(expected, Data(b.Locals[group].Views[j * b.Count + k]));
                }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void LocalViewsAreTheSameForAnyWorkerCountAndOnResume(int workers)
    {
        using var loader = new ImageLoader(_data, cacheDecoded: true);
        var reference = Make(loader, workers: 2).Epoch(1).ToList();
        var other = Make(loader, workers).Epoch(1).ToList();
        var resumed = Make(loader, workers).Epoch(1, skipBatches: 1).ToList();
        Assert.Equal(reference.Count, other.Count);
        Assert.Equal(reference.Count - 1, resumed.Count);
        for (int i = 0; i < reference.Count; i++)
        {
            Assert.Equal(reference[i].Indices, other[i].Indices);
            for (int g = 0; g < 3; g++)
            {
                Assert.Equal(Data(reference[i].Locals[g].Views), Data(other[i].Locals[g].Views));
                if (i > 0) Assert.Equal(Data(reference[i].Locals[g].Views), Data(resumed[i - 1].Locals[g].Views));
            }
        }
        foreach (var b in reference.Concat(other).Concat(resumed)) b.Dispose();
    }

    [Fact]
    public void TheGlobalViewsAreTheSameWithOrWithoutLocalViews()
    {
        using var loader = new ImageLoader(_data, cacheDecoded: true);
        var with = Make(loader, workers: 2).Epoch(0).ToList();
        var without = Make(loader, workers: 2, locals: false).Epoch(0).ToList();
        for (int i = 0; i < with.Count; i++)
        {
            Assert.Equal(Data(without[i].ViewA), Data(with[i].ViewA));
            Assert.Equal(Data(without[i].ViewB), Data(with[i].ViewB));
            Assert.Empty(without[i].Locals);
        }
        foreach (var b in with.Concat(without)) b.Dispose();
    }
}
