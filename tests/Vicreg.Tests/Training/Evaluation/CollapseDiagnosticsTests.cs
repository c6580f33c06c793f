using Vicreg.Training.Evaluation;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training.Evaluation;

public sealed class CollapseDiagnosticsTests
{
    [Fact]
    public void Healthy_gaussian_embeddings_are_not_flagged()
    {
        var g = new Generator().manual_seed(1);
        using var z = randn(new long[] { 256, 64 }, generator: g);
        var r = CollapseDiagnostics.Measure(z);
        Assert.Equal(CollapseState.None, r.State);
        Assert.InRange(r.MeanStd, 0.95, 1.05);
        Assert.InRange(r.MinStd, 0.8, 1.0);
        Assert.Equal(0, r.LowStdFraction);
        Assert.InRange(r.RankMe, 55, 64); // near full rank
        Assert.InRange(r.MeanAbsCorrelation, 0.03, 0.07); // ≈ sqrt(2/(π·256)) for independent columns
        Assert.Equal(64, r.SingularValues.Length);
        Assert.Null(r.Warning("x"));
    }

    [Fact]
    public void Rows_that_all_agree_are_a_complete_collapse()
    {
        var g = new Generator().manual_seed(2);
        using var point = randn(new long[] { 1, 32 }, generator: g);
        using var noise = randn(new long[] { 128, 32 }, generator: g);
        using var z = point.expand(128, 32).add(noise, alpha: 1e-3);
        var r = CollapseDiagnostics.Measure(z);
        Assert.Equal(CollapseState.Complete, r.State);
        Assert.Equal(1.0, r.LowStdFraction);
        Assert.InRange(r.RankMe, 1.0, 1.5);
        Assert.StartsWith("warning: the embeddings have collapsed (epoch 3)", r.Warning("epoch 3"));
    }

    [Fact]
    public void Half_the_dimensions_dead_is_a_dimensional_collapse()
    {
        var g = new Generator().manual_seed(3);
        using var live = randn(new long[] { 200, 16 }, generator: g);
        using var dead = zeros(200, 16);
        using var z = cat(new[] { live, dead }, 1);
        var r = CollapseDiagnostics.Measure(z);
        Assert.Equal(CollapseState.Partial, r.State);
        Assert.Equal(0.5, r.LowStdFraction);
        Assert.Equal(0, r.MinStd);
        Assert.StartsWith("warning: dimensional collapse", r.Warning("e"));
    }

    [Fact]
    public void Duplicated_dimensions_have_correlation_one()
    {
        var g = new Generator().manual_seed(4);
        using var x = randn(new long[] { 100, 1 }, generator: g);
        using var z = cat(new[] { x, x.neg(), x }, 1);
        Assert.Equal(1.0, CollapseDiagnostics.MeanAbsOffDiagonalCorrelation(z), 5);
    }

    [Fact]
    public void RankMe_is_the_exponential_of_the_singular_value_entropy()
    {
        Assert.Equal(4.0, CollapseDiagnostics.RankMe(new double[] { 2, 2, 2, 2 }), 4);
        Assert.Equal(1.0, CollapseDiagnostics.RankMe(new double[] { 3, 0, 0, 0 }), 4);
        // p = (0.5, 0.25, 0.25): exp(−Σ p ln p) = exp(1.5·ln 2) = 2^1.5
        Assert.Equal(Math.Pow(2, 1.5), CollapseDiagnostics.RankMe(new double[] { 2, 1, 1 }), 4);
    }

    [Fact]
    public void Column_blocks_give_the_full_matrix_answer()
    {
        // D > 1024 exercises the block loop; compare against the D×D correlation computed directly.
        var g = new Generator().manual_seed(5);
        using var scope = NewDisposeScope();
        var z = randn(new long[] { 20, 1500 }, generator: g, dtype: ScalarType.Float64);
        var c = z.sub(z.mean(new long[] { 0 }, keepdim: true));
        c = c.div(c.norm(0, keepdim: true));
        var corr = c.t().matmul(c).abs();
        double expected = (corr.sum().item<double>() - corr.diagonal().sum().item<double>()) / (1500.0 * 1499);
        Assert.Equal(expected, CollapseDiagnostics.MeanAbsOffDiagonalCorrelation(z), 5);
    }
}
