using Vicreg.Core;
using static TorchSharp.torch;

namespace Vicreg.Training.Evaluation;

/// <summary>Recall@1/5/10 (%) and median rank of one retrieval direction over <see cref="Pairs"/> pairs, with what
/// random embeddings would get: K/N for Recall@K and (N + 1)/2 for the median rank.</summary>
public sealed record RetrievalResult(int Pairs, double R1, double R5, double R10, double MedianRank)
{
    public double ChanceR1 => Chance(1);
    public double ChanceR5 => Chance(5);
    public double ChanceR10 => Chance(10);
    public double ChanceMedianRank => (Pairs + 1) / 2.0;

    /// <summary>Recall@K of embeddings that carry no information: K of the N candidates are in the top K.</summary>
    public double Chance(int k) => 100.0 * Math.Min(k, Pairs) / Pairs;
}

/// <summary>
/// Cross-modal retrieval between the two embeddings of held-out pairs: row i of <c>queries</c> and row i of
/// <c>gallery</c> are one pair (an image and its sound, or two views of one clip). Each query ranks the whole gallery
/// by Euclidean distance, the distance VICReg's invariance term (a mean squared error) makes small between the two
/// embeddings of a pair; the rank of its partner gives Recall@K (the partner is among the K nearest) and the median
/// rank. Ties are broken at random in expectation (a partner tied with t others has each of those t + 1 places with
/// equal chance), so a collapsed embedding scores chance, not perfect recall. Pure tensors, deterministic.
/// </summary>
public static class CrossModalRetrieval
{
    /// <summary>Queries per block of the distance matrix (block × N float64), which bounds memory for large N.</summary>
    private const int Block = 1024;

    public static RetrievalResult Evaluate(Tensor queries, Tensor gallery)
    {
        if (queries.dim() != 2 || gallery.dim() != 2) throw new ArgumentException($"retrieval needs [N, D] embeddings; got [{string.Join(", ", queries.shape)}] and [{string.Join(", ", gallery.shape)}]");
        if (queries.shape[0] != gallery.shape[0]) throw new ArgumentException($"queries and gallery must be the same pairs; got {queries.shape[0]} and {gallery.shape[0]} rows");
        if (queries.shape[1] != gallery.shape[1]) throw new ArgumentException($"queries and gallery must have the same width; got {queries.shape[1]} and {gallery.shape[1]}");
        int n = (int)queries.shape[0];
        if (n < 2) throw new ArgumentException($"retrieval needs at least 2 pairs; got {n}");
        var ranks = new double[n];
        var hits = new double[3];
        int[] ks = { 1, 5, 10 };
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            var g = gallery.detach().cpu().to_type(ScalarType.Float64);
            for (int start = 0; start < n; start += Block)
            {
                int b = Math.Min(Block, n - start);
                var q = queries.detach().cpu().narrow(0, start, b).to_type(ScalarType.Float64);
                var d = cdist(q, g); // [b, N]
                var partner = tensor(Enumerable.Range(start, b).Select(i => (long)i).ToArray()).unsqueeze(1);
                var own = d.gather(1, partner); // [b, 1]: each query's distance to its partner
                var less = d.lt(own).sum(dim: 1).to_type(ScalarType.Float64);
                var ties = d.eq(own).sum(dim: 1).to_type(ScalarType.Float64).Plus(-1);
                var rank = less.Plus(ties.DividedBy(2)).Plus(1); // the expected rank under random tie-breaking
                rank.data<double>().CopyTo(ranks.AsSpan(start, b));
                for (int k = 0; k < ks.Length; k++)
                    hits[k] += less.SubtractedFrom(ks[k]).div(ties.Plus(1)).clamp(Scalars.Float(0), Scalars.Float(1)).sum().item<double>();
            }
        }
        return new RetrievalResult(n, 100 * hits[0] / n, 100 * hits[1] / n, 100 * hits[2] / n, Median(ranks));
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        int m = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }
}

/// <summary>Both directions of retrieval between branch A's and branch B's embeddings of the same held-out samples,
/// named by what each branch takes (<see cref="Names"/>).</summary>
public sealed record RetrievalPair(RetrievalNames Names, RetrievalResult AToB, RetrievalResult BToA)
{
    /// <summary>Aligns the two sets on the samples both kept (a pair with an unreadable file is left out), then ranks
    /// B's embeddings for every A query and A's for every B query.</summary>
    public static RetrievalPair Evaluate(RetrievalNames names, FeatureSet a, FeatureSet b)
    {
        var (left, right) = FeatureSet.Common(a, b);
        using (left)
        using (right)
            return new RetrievalPair(names, CrossModalRetrieval.Evaluate(left.Features, right.Features), CrossModalRetrieval.Evaluate(right.Features, left.Features));
    }

    public IEnumerable<(string Direction, RetrievalResult Result)> Directions =>
        new[] { ($"{Names.A}->{Names.B}", AToB), ($"{Names.B}->{Names.A}", BToA) };
}

/// <summary>What branch A and branch B take, for naming retrieval directions: the data modalities when they differ
/// ("image", "audio"), otherwise the encoders' own ("waveform", "spectrogram"), and "a"/"b" when those agree too.</summary>
public sealed record RetrievalNames(string A, string B)
{
    public static RetrievalNames Of(Config.ExperimentConfig c, Model.JointEmbedding model)
    {
        string a = Sources.ModalityCatalog.Of(c.Model.BranchA), b = Sources.ModalityCatalog.Of(c.Model.EffectiveB);
        if (a != b) return new(a, b);
        if (model.A.InputForm != model.B.InputForm) return new(model.A.InputForm, model.B.InputForm);
        return new("a", "b");
    }
}
