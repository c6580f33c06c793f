using Vicreg.Data;
using Vicreg.Data.Views;
using Vicreg.Training.Distributed;
using Vicreg.Tests.Data;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training.Distributed;

/// <summary>What each rank of a multi-process run gets (no MPI needed): its rows of every global batch, the same
/// samples and views that one process would put there; and the gradient buckets.</summary>
public class RankShardTests : IDisposable
{
    private readonly SmallImageFolder folder = new();
    private TempDir dir => folder.Dir;
    private ImageFolderDataset data => folder.Train;

    public void Dispose() => folder.Dispose();

    private TwoViewBatches Make(ImageLoader loader, int batch, int rank = 0, int ranks = 1) =>
        new(data, new BranchInput(loader, new ImageViewRecipe(ViewAugmentation.OfficialViewA(12), 12)),
            new BranchInput(loader, new ImageViewRecipe(ViewAugmentation.OfficialViewB(12), 12)), batch, 9, workers: 2, prefetch: 2, rank, ranks);

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void The_ranks_slices_put_together_are_the_global_batches_of_one_process(int ranks)
    {
        using var loader = new ImageLoader(data, cacheDecoded: true);
        var whole = Make(loader, 6).Epoch(1).ToList();
        var shards = Enumerable.Range(0, ranks).Select(r => Make(loader, 6, r, ranks).Epoch(1).ToList()).ToArray();
        Assert.Equal(2, whole.Count);
        for (int b = 0; b < whole.Count; b++)
        {
            Assert.All(shards, s => Assert.Equal(6 / ranks, s[b].Count));
            Assert.Equal(whole[b].Indices, shards.SelectMany(s => s[b].Indices));
            Assert.Equal(whole[b].ViewA.data<float>().ToArray(), cat(shards.Select(s => s[b].ViewA).ToArray(), 0).data<float>().ToArray());
            Assert.Equal(whole[b].ViewB.data<float>().ToArray(), cat(shards.Select(s => s[b].ViewB).ToArray(), 0).data<float>().ToArray());
        }
        foreach (var batch in whole.Concat(shards.SelectMany(s => s))) batch.Dispose();
    }

    [Fact]
    public void A_global_batch_that_the_ranks_cannot_share_evenly_is_a_clear_error()
    {
        using var loader = new ImageLoader(data);
        var e = Assert.Throws<ArgumentException>(() => Make(loader, 5, 0, 2));
        Assert.Contains("cannot be split evenly over 2 ranks", e.Message);
    }

    [Fact]
    public void Gradients_go_in_few_buckets_of_bounded_size()
    {
        var parameters = new[] { 10L, 20, 5, 100, 1 }.Select(n => zeros(n)).ToArray();
        var buckets = DistributedExecutor.Bucket(parameters, cap: 30 * 4);
        Assert.Equal(new[] { 2, 1, 1, 1 }, buckets.Select(b => b.Length)); // [10,20] [5] [100 alone, over the cap] [1]
        Assert.Equal(parameters, buckets.SelectMany(b => b));
    }
}
