using Vicreg.Training.Evaluation;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training.Evaluation;

/// <summary>Recall@K and median rank against hand-counted cases, chance for collapsed and unrelated embeddings.</summary>
public class CrossModalRetrievalTests
{
    [Fact]
    public void Identical_embeddings_retrieve_every_partner_first()
    {
        using var z = randn(50, 8, generator: manual_seed(1));
        var r = CrossModalRetrieval.Evaluate(z, z);
        Assert.Equal((100.0, 100.0, 100.0, 1.0), (r.R1, r.R5, r.R10, r.MedianRank));
        Assert.Equal((2.0, 10.0, 20.0, 25.5), (r.ChanceR1, r.ChanceR5, r.ChanceR10, r.ChanceMedianRank));
    }

    [Fact]
    public void Ranks_are_counted_by_euclidean_distance()
    {
        // Gallery on a line; query i sits next to gallery item (i + 1) mod 4, so its partner i is farther.
        using var gallery = tensor(new float[] { 0, 10, 20, 30 }, new long[] { 4, 1 });
        using var queries = tensor(new float[] { 0.1f, 19, 29, 31 }, new long[] { 4, 1 });
        // Query 0 (0.1): partner 0 is nearest → rank 1. Query 1 (19): 20 is nearer than 10 → rank 2.
        // Query 2 (29): 30, then 20 → rank 2. Query 3 (31): 30 is the partner → rank 1.
        var r = CrossModalRetrieval.Evaluate(queries, gallery);
        Assert.Equal(50.0, r.R1, 9);
        Assert.Equal(100.0, r.R5, 9);
        Assert.Equal(1.5, r.MedianRank, 9);
    }

    [Fact]
    public void A_collapsed_embedding_scores_chance_not_perfect_recall()
    {
        using var same = zeros(20, 4);
        var r = CrossModalRetrieval.Evaluate(same, same);
        Assert.Equal(r.ChanceR1, r.R1, 9);
        Assert.Equal(r.ChanceR10, r.R10, 9);
        Assert.Equal(r.ChanceMedianRank, r.MedianRank, 9);
    }

    [Fact]
    public void Unrelated_embeddings_stay_near_chance()
    {
        var g = manual_seed(3);
        using var a = randn(2000, 16, generator: g);
        using var b = randn(2000, 16, generator: g);
        var r = CrossModalRetrieval.Evaluate(a, b); // blocks of 1024 queries: the last block is partial
        Assert.InRange(r.R10, 0.1, 1.2); // chance 0.5%
        Assert.InRange(r.MedianRank, 900, 1100);
    }

    [Fact]
    public void Mismatched_pairs_are_refused()
    {
        using var a = zeros(5, 4);
        using var b = zeros(6, 4);
        Assert.Throws<ArgumentException>(() => CrossModalRetrieval.Evaluate(a, b));
    }

    [Fact]
    public void Both_directions_use_only_the_samples_both_branches_kept()
    {
        using var z = randn(6, 3, generator: manual_seed(2));
        using var a = new FeatureSet(z.index_select(0, tensor(new long[] { 0, 1, 2, 4, 5 })), zeros(5, ScalarType.Int64), new long[] { 0, 1, 2, 4, 5 });
        using var b = new FeatureSet(z.index_select(0, tensor(new long[] { 0, 2, 3, 4 })), zeros(4, ScalarType.Int64), new long[] { 0, 2, 3, 4 });
        var pair = RetrievalPair.Evaluate(new RetrievalNames("image", "audio"), a, b);
        Assert.Equal(3, pair.AToB.Pairs); // samples 0, 2 and 4
        Assert.Equal(100.0, pair.AToB.R1);
        Assert.Equal(100.0, pair.BToA.R1);
        Assert.Equal(new[] { "image->audio", "audio->image" }, pair.Directions.Select(d => d.Direction));
    }
}
