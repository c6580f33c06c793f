using Vicreg.Training.Evaluation;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training.Evaluation;

public sealed class KnnClassifierTests
{
    /// <summary>The weighted vote written out with loops: for each query, the k most cosine-similar training
    /// rows add exp(sim / T) to their class.</summary>
    private static int[] BruteForce(float[,] train, int[] labels, float[,] val, int classes, int k, double t)
    {
        int n = train.GetLength(0), m = val.GetLength(0), d = train.GetLength(1);
        double Norm(float[,] a, int i) => Math.Sqrt(Enumerable.Range(0, d).Sum(j => (double)a[i, j] * a[i, j]));
        var result = new int[m];
        for (int q = 0; q < m; q++)
        {
            var sims = Enumerable.Range(0, n).Select(i => (i, s: Enumerable.Range(0, d).Sum(j => (double)train[i, j] * val[q, j]) / (Norm(train, i) * Norm(val, q))))
                .OrderByDescending(x => x.s).Take(k);
            var score = new double[classes];
            foreach (var (i, s) in sims) score[labels[i]] += Math.Exp(s / t);
            result[q] = Array.IndexOf(score, score.Max());
        }
        return result;
    }

    [Fact]
    public void Weighted_vote_matches_a_brute_force_implementation()
    {
        var rng = new Random(7);
        int n = 300, m = 64, d = 8, classes = 5;
        var train = new float[n, d];
        var val = new float[m, d];
        var labels = new int[n];
        var valLabels = new long[m];
        // Noisy class centres, so neighbours disagree and the weights matter.
        var centres = new double[classes, d];
        for (int c = 0; c < classes; c++) for (int j = 0; j < d; j++) centres[c, j] = rng.NextDouble() * 2 - 1;
        for (int i = 0; i < n; i++) { labels[i] = i % classes; for (int j = 0; j < d; j++) train[i, j] = (float)(centres[labels[i], j] + rng.NextDouble() * 4 - 2); }
        for (int i = 0; i < m; i++) { valLabels[i] = i % classes; for (int j = 0; j < d; j++) val[i, j] = (float)(centres[i % classes, j] + rng.NextDouble() * 4 - 2); }
        var expected = BruteForce(train, labels, val, classes, 20, 0.07);

        using var trainSet = new FeatureSet(tensor(train), tensor(labels.Select(l => (long)l).ToArray()));
        using var valSet = new FeatureSet(tensor(val), tensor(valLabels));
        var r = KnnClassifier.Evaluate(trainSet, valSet, classes, new KnnOptions(BatchSize: 16));
        double expectedTop1 = 100.0 * Enumerable.Range(0, m).Count(i => expected[i] == valLabels[i]) / m;
        Assert.Equal(expectedTop1, r.Top1, 6);
        Assert.InRange(r.Top1, 30, 99.9); // neither trivial nor perfect: the vote decides
        Assert.True(r.Top5 >= r.Top1);
        Assert.Equal(100, r.Top5, 6); // 5 classes: top-5 always hits
        Assert.Equal((20, 300, 64), (r.K, r.TrainCount, r.ValCount));
    }

    [Fact]
    public void Separated_clusters_are_classified_perfectly_and_k_is_capped_by_the_bank()
    {
        using var train = new FeatureSet(tensor(new float[,] { { 1, 0 }, { 0.9f, 0.1f }, { 0, 1 }, { 0.1f, 0.9f } }), tensor(new long[] { 0, 0, 1, 1 }));
        using var val = new FeatureSet(tensor(new float[,] { { 5, 0.2f }, { 0.3f, 7 } }), tensor(new long[] { 0, 1 }));
        var r = KnnClassifier.Evaluate(train, val, 2);
        Assert.Equal(100, r.Top1);
        Assert.Equal(4, r.K);
    }
}
