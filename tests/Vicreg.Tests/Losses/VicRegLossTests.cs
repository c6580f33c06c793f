using System.Text.Json;
using TorchSharp;
using Vicreg.Losses;
using static TorchSharp.torch;

namespace Vicreg.Tests.Losses;

/// <summary>
/// Pinned to tests/fixtures/vicreg_loss.json (PyTorch, float64, official semantics). Tolerance: values
/// 1e-5 relative; gradients 1e-5 relative to the gradient tensor's largest entry. Inputs are fp32.
/// </summary>
public class VicRegLossTests
{
    public static IEnumerable<object[]> Cases()
    {
        var root = Fixtures.Load("vicreg_loss.json");
        int i = 0;
        foreach (var c in root.GetProperty("cases").EnumerateArray())
        {
            foreach (var form in new[] { CovarianceForm.Auto, CovarianceForm.Gram, CovarianceForm.Feature })
                yield return new object[] { i, c.GetProperty("n").GetInt32(), c.GetProperty("d").GetInt32(), form };
            i++;
        }
    }

    private static JsonElement Case(int index) => Fixtures.Load("vicreg_loss.json").GetProperty("cases")[index];

    [Theory]
    [MemberData(nameof(Cases))]
    public void ValuesAndGradientsMatchPyTorch(int index, int n, int d, CovarianceForm form)
    {
        var c = Case(index);
        var terms = new[] { "invariance", "variance", "covariance", "total" };
        foreach (var term in terms)
        {
            using var scope = NewDisposeScope();
            var z1 = Fixtures.Float32(c.GetProperty("z1"), n, d).requires_grad_();
            var z2 = Fixtures.Float32(c.GetProperty("z2"), n, d).requires_grad_();
            using var result = new VicRegLoss(new VicRegOptions(Form: form)).Compute(z1, z2);
            var value = term == "total" ? result.Total : result.Term(term)!;
            Close.Scalar(c.GetProperty(term).GetDouble(), value.item<float>(), 1e-5, $"{term} ({n}x{d}, {form})");
            var grads = torch.autograd.grad(new[] { value }, new[] { z1, z2 });
            var expected = c.GetProperty("grads").GetProperty(term);
            Close.Array(Fixtures.Doubles(expected.GetProperty("z1")), grads[0], 1e-5, $"d{term}/dz1 ({n}x{d}, {form})");
            Close.Array(Fixtures.Doubles(expected.GetProperty("z2")), grads[1], 1e-5, $"d{term}/dz2 ({n}x{d}, {form})");
        }
    }

    [Fact]
    public void AutoPicksGramOnlyWhenRowsAreFewerThanColumns()
    {
        Assert.Equal(CovarianceForm.Gram, VicRegLoss.Resolve(CovarianceForm.Auto, 256, 8192));
        Assert.Equal(CovarianceForm.Feature, VicRegLoss.Resolve(CovarianceForm.Auto, 64, 16));
        Assert.Equal(CovarianceForm.Feature, VicRegLoss.Resolve(CovarianceForm.Auto, 16, 16));
        Assert.Equal(CovarianceForm.Feature, VicRegLoss.Resolve(CovarianceForm.Feature, 2, 8192));
    }

    [Fact]
    public void PerTermFunctionsComposeToTheTotal()
    {
        var c = Case(2);
        using var scope = NewDisposeScope();
        var z1 = Fixtures.Float32(c.GetProperty("z1"), 16, 64);
        var z2 = Fixtures.Float32(c.GetProperty("z2"), 16, 64);
        double total = 25 * VicRegLoss.Invariance(z1, z2).item<float>()
                     + 25 * (VicRegLoss.Variance(z1).item<float>() + VicRegLoss.Variance(z2).item<float>()) / 2
                     + (VicRegLoss.Covariance(z1).item<float>() + VicRegLoss.Covariance(z2).item<float>());
        Close.Scalar(c.GetProperty("total").GetDouble(), total, 1e-5, "composed total");
    }

    [Fact]
    public void LowPrecisionInputsAreComputedInFloat32()
    {
        using var scope = NewDisposeScope();
        var z = randn(8, 16).to_type(ScalarType.BFloat16);
        using var terms = new VicRegLoss().Compute(z, z + 0.1);
        Assert.Equal(ScalarType.Float32, terms.Total.dtype);
        Assert.Equal(ScalarType.Float32, terms.Term("covariance")!.dtype);
    }

    [Fact]
    public void CoefficientsWeightTheTerms()
    {
        using var scope = NewDisposeScope();
        var z1 = randn(10, 6);
        var z2 = randn(10, 6);
        var plain = new VicRegLoss().Compute(z1, z2).Values();
        var (i, v, c) = (plain.Term("invariance"), plain.Term("variance"), plain.Term("covariance"));
        var custom = new VicRegLoss(new VicRegOptions(Sim: 2, Std: 3, Cov: 5)).Compute(z1, z2).Values();
        Close.Scalar(2 * i + 3 * v + 5 * c, custom.Total, 1e-6, "weighted total");
    }

    [Fact]
    public void CollapsedEmbeddingsHaveMaximalVarianceTermAndZeroCovariance()
    {
        using var scope = NewDisposeScope();
        var z = ones(32, 8) * 3;
        var values = new VicRegLoss().Compute(z, z).Values();
        var (inv, variance, cov) = (values.Term("invariance"), values.Term("variance"), values.Term("covariance"));
        Assert.Equal(0.0, inv);
        Close.Scalar(1.0 - Math.Sqrt(1e-4), variance, 1e-6, "variance of a constant batch");
        Assert.Equal(0.0, cov, 12);
    }

    [Theory]
    [InlineData(new long[] { 8 }, new long[] { 8 }, "2-D")]
    [InlineData(new long[] { 1, 8 }, new long[] { 1, 8 }, "N ≥ 2")]
    [InlineData(new long[] { 4, 8 }, new long[] { 4, 9 }, "same shape")]
    [InlineData(new long[] { 4, 8 }, new long[] { 5, 8 }, "same shape")]
    public void BadShapesAreRejectedWithAClearMessage(long[] shape1, long[] shape2, string expected)
    {
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => new VicRegLoss().Compute(randn(shape1), randn(shape2)));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void NonFiniteValuesAreRejected()
    {
        using var scope = NewDisposeScope();
        var z = randn(4, 8);
        z[1, 2] = tensor(float.NaN);
        var ex = Assert.Throws<ArgumentException>(() => new VicRegLoss().Compute(z, randn(4, 8)));
        Assert.Contains("NaN or Inf", ex.Message);
        Assert.Contains("z1", ex.Message);
    }
}
