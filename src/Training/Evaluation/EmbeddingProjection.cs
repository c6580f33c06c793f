using TorchSharp;
using static TorchSharp.torch;
using Vicreg.Core;

namespace Vicreg.Training.Evaluation;

/// <summary>t-SNE settings: scikit-learn's defaults for the exact method (perplexity 30, early exaggeration 12
/// for 250 of 1000 iterations, learning rate N/12/4 but at least 50, PCA initialisation).</summary>
public sealed record TsneOptions(double Perplexity = 30, int Iterations = 1000, int ExaggerationIterations = 250,
    double Exaggeration = 12, int PcaDims = 50);

/// <summary>
/// 2-D maps of frozen features [N, D]: PCA, and exact t-SNE (van der Maaten and Hinton, 2008) in tensors,
/// following scikit-learn's exact method term by term (<see cref="JointProbabilities"/>, <see cref="KlDivergence"/>),
/// which the tests pin against it. Exact t-SNE holds N×N matrices, so it is for a few thousand points at most.
/// </summary>
public static class EmbeddingProjection
{
    /// <summary>Above this many points only PCA is computed (exact t-SNE is O(N²) per iteration).</summary>
    public const int TsneMaxPoints = 2000;

    /// <summary>scikit-learn's floor on probabilities (numpy's double epsilon).</summary>
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>The rows of <paramref name="x"/> on its leading principal components [N, k] (float64), and the
    /// fraction of the variance each explains. Each component's sign is fixed (largest loading positive) so
    /// that maps do not flip between runs.</summary>
    public static (Tensor Coordinates, double[] ExplainedVariance) Pca(Tensor x, int components = 2)
    {
        using var scope = NewDisposeScope();
        var centred = x.to_type(ScalarType.Float64).cpu();
        centred = centred - centred.mean(new long[] { 0 }, keepdim: true);
        var (_, s, vh) = linalg.svd(centred, fullMatrices: false);
        int k = (int)Math.Min(components, vh.shape[0]);
        var v = vh.narrow(0, 0, k);
        var largest = v.gather(1, v.abs().argmax(1).unsqueeze(1));
        v = v * where(largest.lt(Scalars.Int64(0)), -1.0, 1.0);
        var variance = s.pow(Scalars.Int64(2));
        double total = variance.sum().item<double>();
        var explained = variance.narrow(0, 0, k).data<double>().Select(e => total > 0 ? e / total : 0).ToArray();
        return (centred.matmul(v.t()).MoveToOuterDisposeScope(), explained);
    }

    /// <summary>Exact t-SNE of the rows of <paramref name="x"/> to 2-D [N, 2] (float64). Deterministic: PCA to
    /// <see cref="TsneOptions.PcaDims"/> dimensions, PCA initialisation, no random numbers.</summary>
    public static Tensor Tsne(Tensor x, TsneOptions? options = null)
    {
        var o = options ?? new TsneOptions();
        long n = x.shape[0];
        if (n < 4) throw new ArgumentException($"t-SNE needs at least 4 points; got {n}");
        if (!(o.Perplexity > 0 && o.Perplexity < n)) throw new ArgumentOutOfRangeException(nameof(options), $"perplexity must be in (0, {n}); got {o.Perplexity}");
        using var scope = NewDisposeScope();
        var reduced = x.shape[1] > o.PcaDims ? Pca(x, o.PcaDims).Coordinates : x.to_type(ScalarType.Float64).cpu();
        var p = JointProbabilities(SquaredDistances(reduced), o.Perplexity);
        // scikit-learn's "pca" init: the first two components, scaled so the first has standard deviation 1e-4.
        var y = Pca(reduced, 2).Coordinates;
        y = (y / y.select(1, 0).std(unbiased: false)).mul(Scalars.Float(1e-4));
        double lr = Math.Max(n / o.Exaggeration / 4, 50);
        using var learningRate = lr.ToScalar();
        var update = zeros_like(y);
        var gains = ones_like(y);
        var offDiagonal = eye(n, dtype: ScalarType.Float64).neg().add(Scalars.Int64(1), Scalars.One);
        // The N×N work of each iteration goes into buffers made once: a thousand iterations of fresh N×N temporaries
        // made glibc's heap grow to gigabytes (its adaptive mmap threshold keeps freed 8 MB blocks for reuse, and
        // they fragment), while the live tensors stayed under 100 MB.
        var kernel = empty_like(p);
        var weighted = empty_like(p);
        using var exaggeration = o.Exaggeration.ToScalar();
        var exaggerated = p.mul(exaggeration);
        for (int it = 0; it < o.Iterations; it++)
        {
            using var step = NewDisposeScope();
            bool early = it < o.ExaggerationIterations;
            // scikit-learn runs the two phases as two descents, each starting from no momentum and unit gains.
            if (it == o.ExaggerationIterations) { update.zero_(); gains.fill_(Scalars.Float(1.0)); exaggerated.Dispose(); }
            var grad = Gradient(early ? exaggerated : p, y, offDiagonal, kernel, weighted);
            // Delta-bar-delta gains, as in scikit-learn's _gradient_descent.
            var sameSign = (update * grad).ge(Scalars.Int64(0));
            gains.copy_(where(sameSign, gains.mul(Scalars.Float(0.8)), gains.add(Scalars.Float(0.2), Scalars.One)).clamp_min(Scalars.Float(0.01)));
            update.copy_(update.mul(Scalars.Float(early ? 0.5 : 0.8)) - (gains * grad).mul(learningRate));
            y.add_(update, Scalars.One);
        }
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>Pairwise squared Euclidean distances [N, N] (float64), exactly zero on the diagonal.</summary>
    public static Tensor SquaredDistances(Tensor x)
    {
        using var scope = NewDisposeScope();
        var x64 = x.to_type(ScalarType.Float64);
        var norms = x64.pow(Scalars.Int64(2)).sum(new long[] { 1 }, keepdim: true);
        var d = (norms.add(norms.t(), Scalars.One) - x64.matmul(x64.t()).mul(Scalars.Int64(2))).clamp_min(Scalars.Int64(0));
        d.diagonal().fill_(Scalars.Int64(0)); // a view: fills the diagonal in place
        return d.MoveToOuterDisposeScope();
    }

    /// <summary>The symmetric joint probabilities P [N, N] of t-SNE: per row a Gaussian whose precision is found by
    /// bisection so that its entropy is log(perplexity) (all rows at once), then P = (P + Pᵀ) / sum, at least the double epsilon.</summary>
    public static Tensor JointProbabilities(Tensor squaredDistances, double perplexity)
    {
        using var scope = NewDisposeScope();
        var d = squaredDistances.to_type(ScalarType.Float64);
        long n = d.shape[0];
        var offDiagonal = ones(n, n, ScalarType.Float64) - eye(n, dtype: ScalarType.Float64);
        double target = Math.Log(perplexity);
        using var targetEntropy = target.ToScalar();
        var beta = ones(n, 1, ScalarType.Float64);
        var lo = full(n, 1, Scalars.Float(double.NegativeInfinity), ScalarType.Float64);
        var hi = full(n, 1, Scalars.Float(double.PositiveInfinity), ScalarType.Float64);
        // Buffers made once, for the same reason as the descent's (see Tsne).
        var unnormalised = empty_like(d);
        var conditional = empty_like(d);
        var weighted = empty_like(d);
        // scikit-learn: 100 bisection steps at most, each row stopping within 1e-5 of the target entropy.
        for (int i = 0; i < 100; i++)
        {
            // Only the carried state (beta and its bounds) leaves the pass.
            using var pass = NewDisposeScope();
            unnormalised.copy_(d).neg_().mul_(beta).exp_().mul_(offDiagonal);
            var sum = unnormalised.sum(new long[] { 1 }, keepdim: true);
            sum = where(sum.eq(Scalars.Int64(0)), 1e-8, sum);
            conditional.copy_(unnormalised).div_(sum);
            var entropy = sum.log().add(beta * weighted.copy_(d).mul_(conditional).sum(new long[] { 1 }, keepdim: true), Scalars.One);
            var error = entropy.sub(targetEntropy);
            var open = error.abs().gt(Scalars.Float(1e-5));
            if (!open.any().item<bool>()) break;
            var tooFlat = open & error.gt(Scalars.Int64(0));
            var tooSharp = open & error.le(Scalars.Int64(0));
            var newLo = where(tooFlat, beta, lo);
            var newHi = where(tooSharp, beta, hi);
            var up = where(newHi.isinf(), beta.mul(Scalars.Int64(2)), beta.add(newHi, Scalars.One).div(Scalars.Int64(2)));
            var down = where(newLo.isinf(), beta.div(Scalars.Int64(2)), beta.add(newLo, Scalars.One).div(Scalars.Int64(2)));
            beta = where(tooFlat, up, where(tooSharp, down, beta)).MoveToOuterDisposeScope();
            lo = newLo.MoveToOuterDisposeScope();
            hi = newHi.MoveToOuterDisposeScope();
        }
        var joint = conditional.add(conditional.t(), Scalars.One);
        joint = joint / joint.sum().clamp_min(Scalars.Float(MachineEpsilon));
        return joint.clamp_min(Scalars.Float(MachineEpsilon)).MoveToOuterDisposeScope();
    }

    /// <summary>KL(P ‖ Q) of a 2-D (or k-D) map <paramref name="y"/> with Student-t similarities Q, and its
    /// gradient with respect to <paramref name="y"/> (4 Σⱼ (pᵢⱼ − qᵢⱼ)(1 + ‖yᵢ − yⱼ‖²)⁻¹ (yᵢ − yⱼ)).</summary>
    public static (double Kl, Tensor Gradient) KlDivergence(Tensor p, Tensor y)
    {
        using var scope = NewDisposeScope();
        var (q, grad) = QAndGradient(p, y, eye(y.shape[0], dtype: ScalarType.Float64).neg().add(Scalars.Int64(1), Scalars.One));
        double kl = (p * (p.clamp_min(Scalars.Float(MachineEpsilon)) / q).log()).sum().item<double>();
        return (kl, grad.MoveToOuterDisposeScope());
    }

    /// <summary>The gradient alone, into the caller's N×N buffers (<paramref name="kernel"/> ends holding the Student-t
    /// kernel, <paramref name="weighted"/> (P − Q)∘kernel): the descent needs no KL value, and reuses its buffers.</summary>
    private static Tensor Gradient(Tensor p, Tensor y, Tensor offDiagonal, Tensor kernel, Tensor weighted)
    {
        var norms = y.pow(Scalars.Int64(2)).sum(new long[] { 1 }, keepdim: true);
        // (1 + ‖yᵢ − yⱼ‖²)⁻¹ off the diagonal, with ‖yᵢ − yⱼ‖² = ‖yᵢ‖² + ‖yⱼ‖² − 2 yᵢ·yⱼ, all in place.
        kernel.addmm_(y, y.t(), beta: 0, alpha: -2).add_(norms, Scalars.One).add_(norms.t(), Scalars.One).clamp_min_(Scalars.Int64(0))
            .add_(Scalars.Int64(1), Scalars.One).reciprocal_().mul_(offDiagonal);
        var total = kernel.sum();
        weighted.copy_(kernel).div_(total).clamp_min_(Scalars.Float(MachineEpsilon)).neg_().add_(p, Scalars.One).mul_(kernel); // (P − Q)∘kernel
        return (weighted.sum(new long[] { 1 }, keepdim: true) * y - weighted.matmul(y)).mul_(Scalars.Int64(4));
    }

    private static (Tensor Q, Tensor Gradient) QAndGradient(Tensor p, Tensor y, Tensor offDiagonal)
    {
        var kernel = empty_like(p);
        var weighted = empty_like(p);
        var grad = Gradient(p, y, offDiagonal, kernel, weighted);
        var q = (kernel / kernel.sum()).clamp_min(Scalars.Float(MachineEpsilon));
        return (q, grad);
    }

    /// <summary>Leave-one-out k-nearest-neighbour accuracy (%) of a map: how cleanly the classes separate in the picture.</summary>
    public static double NeighbourAccuracy(Tensor coordinates, Tensor labels, int k = 5)
    {
        using var scope = NewDisposeScope();
        long n = coordinates.shape[0];
        if (n < 2) return double.NaN;
        int kk = (int)Math.Min(k, n - 1);
        var points = coordinates.to_type(ScalarType.Float64).cpu();
        var y = labels.to_type(ScalarType.Int64).cpu();
        long hits = 0;
        // Blocks of rows, so that a map of thousands of points never holds all N² distances at once.
        for (long start = 0; start < n; start += 256)
        {
            using var block = NewDisposeScope();
            long rows = Math.Min(256, n - start);
            var d = (points.narrow(0, start, rows).unsqueeze(1) - points.unsqueeze(0)).pow(Scalars.Int64(2)).sum(new long[] { 2 });
            using var rowCount = rows.ToScalar();
            using var first = start.ToScalar();
            using var end = (start + rows).ToScalar();
            d.index_put_(Scalars.Float(double.PositiveInfinity), arange(Scalars.Int64(0), rowCount, Scalars.Int64(1)), arange(first, end, Scalars.Int64(1)));
            var neighbours = d.topk(kk, dim: 1, largest: false).indexes;
            var votes = y.index_select(0, neighbours.flatten()).view(rows, kk);
            // Majority vote; ties go to the smaller class index (torch.mode's rule).
            hits += votes.mode(1).values.eq(y.narrow(0, start, rows)).sum().item<long>();
        }
        return 100.0 * hits / n;
    }
}
