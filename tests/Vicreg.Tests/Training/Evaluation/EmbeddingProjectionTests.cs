using Vicreg.Training.Evaluation;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training.Evaluation;

/// <summary>PCA and exact t-SNE against scikit-learn 1.2 (tests/fixtures/tsne.json, bench/reference/make_tsne_fixtures.py).</summary>
public class EmbeddingProjectionTests
{
    private static readonly System.Text.Json.JsonElement Golden = Fixtures.Load("tsne.json");
    private static int N => Golden.GetProperty("n").GetInt32();
    private static Tensor X() => tensor(Fixtures.Doubles(Golden.GetProperty("x")), new long[] { N, Golden.GetProperty("d").GetInt64() });
    private static Tensor Labels() => tensor(Golden.GetProperty("labels").EnumerateArray().Select(e => e.GetInt64()).ToArray());

    [Fact]
    public void PcaMatchesScikitLearnUpToTheSignOfEachComponent()
    {
        using var x = X();
        var (coords, explained) = EmbeddingProjection.Pca(x);
        using var _ = coords;
        var expected = Fixtures.Doubles(Golden.GetProperty("pca"));
        var ratios = Fixtures.Doubles(Golden.GetProperty("pca_explained"));
        for (int k = 0; k < 2; k++) Close.Scalar(ratios[k], explained[k], 1e-9, $"explained variance of component {k}");
        using var sign = tensor(new[] { Math.Sign(expected[0] * coords[0, 0].item<double>()), Math.Sign(expected[1] * coords[0, 1].item<double>()) }.Select(s => (double)s).ToArray());
        Close.Array(expected, coords * sign, 1e-9, "PCA coordinates");
    }

    [Fact]
    public void PcaSignsAreFixedSoMapsDoNotFlip()
    {
        using var x = X();
        var (a, _) = EmbeddingProjection.Pca(x);
        var (b, _) = EmbeddingProjection.Pca(-x);
        using (a) using (b)
            // Negating the data negates the projection only through the data, not through a sign flip of the axes.
            Close.Array(a.data<double>().ToArray(), -b, 1e-9, "PCA of -x");
    }

    [Fact]
    public void JointProbabilitiesMatchScikitLearn()
    {
        using var x = X();
        using var d = EmbeddingProjection.SquaredDistances(x);
        using var p = EmbeddingProjection.JointProbabilities(d, Golden.GetProperty("perplexity").GetDouble());
        // scikit-learn bisects on float32 distances; the rows stop within 1e-5 of the target entropy either way.
        Close.Array(Fixtures.Doubles(Golden.GetProperty("p")), p, 1e-4, "P");
        Close.Scalar(1.0, p.sum().item<double>(), 1e-9, "sum of P");
    }

    [Fact]
    public void KlDivergenceAndItsGradientMatchScikitLearn()
    {
        using var p = tensor(Fixtures.Doubles(Golden.GetProperty("p")), new long[] { N, N });
        using var y = tensor(Fixtures.Doubles(Golden.GetProperty("y")), new long[] { N, 2 });
        var (kl, grad) = EmbeddingProjection.KlDivergence(p, y);
        using var _ = grad;
        Close.Scalar(Golden.GetProperty("kl").GetDouble(), kl, 1e-9, "KL");
        Close.Array(Fixtures.Doubles(Golden.GetProperty("grad")), grad, 1e-9, "gradient of KL");
    }

    [Fact]
    public void TsneReachesScikitLearnsDivergenceAndSeparatesTheClusters()
    {
        using var x = X();
        using var labels = Labels();
        using var y = EmbeddingProjection.Tsne(x, new TsneOptions(Perplexity: Golden.GetProperty("perplexity").GetDouble()));
        using var d = EmbeddingProjection.SquaredDistances(x);
        using var p = EmbeddingProjection.JointProbabilities(d, 10);
        var (kl, grad) = EmbeddingProjection.KlDivergence(p, y);
        grad.Dispose();
        double reference = Golden.GetProperty("tsne_kl").GetDouble();
        Assert.True(Math.Abs(kl - reference) < 0.15 * reference, $"KL {kl:F4} against scikit-learn's {reference:F4}");
        Assert.Equal(100.0, EmbeddingProjection.NeighbourAccuracy(y, labels));
    }

    [Fact]
    public void NeighbourAccuracyCountsPointsWhoseNeighboursShareTheirClass()
    {
        // Two tight pairs and one point of class 1 sitting inside class 0's pair.
        using var coords = tensor(new double[] { 0, 0, 0, 1, 0.5, 0.5, 10, 10, 10, 11 }, new long[] { 5, 2 });
        using var labels = tensor(new long[] { 0, 0, 1, 1, 1 });
        // A, B and C each have a neighbour of the other class (C is nearer to A and B than they are to each other).
        Assert.Equal(40.0, EmbeddingProjection.NeighbourAccuracy(coords, labels, k: 1));
    }
}
