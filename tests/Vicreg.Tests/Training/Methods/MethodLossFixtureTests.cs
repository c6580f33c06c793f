using System.Text.Json;
using TorchSharp;
using Vicreg.Core;
using Vicreg.Losses;
using Vicreg.Training.Methods;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training.Methods;

/// <summary>Pinned to tests/fixtures/methods.json (bench/reference/make_method_fixtures.py, PyTorch 1.13,
/// float64 on float32-rounded inputs). Values 1e-5 relative; gradients 1e-5 relative to their largest entry.</summary>
public class MethodLossFixtureTests
{
    static JsonElement Root => Fixtures.Load("methods.json");

    static Tensor Input(JsonElement c, string name) =>
        Fixtures.Float32(c.GetProperty(name), c.GetProperty("n").GetInt64(), c.GetProperty("d").GetInt64()).requires_grad_();

    static void Check(JsonElement c, Tensor loss, string lossKey, string what, params (string Name, Tensor Input)[] inputs)
    {
        Close.Scalar(c.GetProperty(lossKey).GetDouble(), loss.item<float>(), 1e-5, what);
        loss.backward();
        foreach (var (name, input) in inputs)
        {
            var expected = Fixtures.Doubles(c.GetProperty("grad_" + name));
            // A stop-gradient input gets no gradient at all (PyTorch's fixture has zeros for it).
            using var g = input.grad is null ? zeros_like(input) : input.grad.alias();
            Close.Array(expected, g, 1e-5, $"{what} d/d{name}");
        }
    }

    public static IEnumerable<object[]> Indices(string section) =>
        Enumerable.Range(0, Root.GetProperty(section).GetArrayLength()).Select(i => new object[] { section, i });

    public static IEnumerable<object[]> SimClrCases() => Indices("simclr");
    public static IEnumerable<object[]> ByolCases() => Indices("byol");
    public static IEnumerable<object[]> SimSiamCases() => Indices("simsiam");
    public static IEnumerable<object[]> VarCovCases() => Indices("varcov");

    [Theory]
    [MemberData(nameof(SimClrCases))]
    public void NtXentMatchesPyTorch(string section, int index)
    {
        var c = Root.GetProperty(section)[index];
        using var scope = NewDisposeScope();
        var z1 = Input(c, "z1");
        var z2 = Input(c, "z2");
        var loss = new NtXentLoss(c.GetProperty("temperature").GetDouble()).Compute(z1, z2).Total;
        Check(c, loss, "loss", $"nt-xent #{index}", ("z1", z1), ("z2", z2));
    }

    [Theory]
    [MemberData(nameof(ByolCases))]
    public void ByolLossMatchesPyTorchAndStopsTheTargetGradient(string section, int index)
    {
        var c = Root.GetProperty(section)[index];
        using var scope = NewDisposeScope();
        var (p1, p2, t1, t2) = (Input(c, "p1"), Input(c, "p2"), Input(c, "t1"), Input(c, "t2"));
        var loss = new ByolLoss().Compute(p1, p2, t1, t2).Total;
        Check(c, loss, "loss", $"byol #{index}", ("p1", p1), ("p2", p2), ("t1", t1), ("t2", t2));
    }

    [Theory]
    [MemberData(nameof(SimSiamCases))]
    public void SimSiamLossMatchesPyTorchAndStopsTheTargetGradient(string section, int index)
    {
        var c = Root.GetProperty(section)[index];
        using var scope = NewDisposeScope();
        var (p1, p2, z1, z2) = (Input(c, "p1"), Input(c, "p2"), Input(c, "z1"), Input(c, "z2"));
        var loss = new SimSiamLoss().Compute(p1, p2, z1, z2).Total;
        Check(c, loss, "loss", $"simsiam #{index}", ("p1", p1), ("p2", p2), ("z1", z1), ("z2", z2));
    }

    [Theory]
    [MemberData(nameof(VarCovCases))]
    public void AddedVarianceCovarianceMatchPyTorch(string section, int index)
    {
        var c = Root.GetProperty(section)[index];
        using var scope = NewDisposeScope();
        var (z1, z2) = (Input(c, "z1"), Input(c, "z2"));
        var terms = new VarianceCovarianceLoss(c.GetProperty("mu").GetDouble(), c.GetProperty("nu").GetDouble()).Compute(z1, z2);
        Close.Scalar(c.GetProperty("variance").GetDouble(), terms.Term("variance")!.item<float>(), 1e-5, "variance");
        Close.Scalar(c.GetProperty("covariance").GetDouble(), terms.Term("covariance")!.item<float>(), 1e-5, "covariance");
        var grads = torch.autograd.grad(new[] { terms.Total }, new[] { z1, z2 });
        Close.Array(Fixtures.Doubles(c.GetProperty("grad_z1")), grads[0], 1e-5, "d/dz1");
        Close.Array(Fixtures.Doubles(c.GetProperty("grad_z2")), grads[1], 1e-5, "d/dz2");
    }

    [Fact]
    public void SimClrMethodWithAddedTermsMatchesPyTorch()
    {
        var c = Root.GetProperty("simclr_varcov");
        using var scope = NewDisposeScope();
        var (z1, z2) = (Input(c, "z1"), Input(c, "z2"));
        var method = new SimClrMethod(c.GetProperty("temperature").GetDouble(), new AddedTerms(c.GetProperty("mu").GetDouble(), c.GetProperty("nu").GetDouble()));
        using var loss = method.Compute(z1, z2);
        Assert.NotNull(loss.Term("variance"));
        Check(c, loss.Total, "loss", "simclr + var/cov", ("z1", z1), ("z2", z2));
    }

    [Fact]
    public void BarlowTwinsMethodWithAddedTermsMatchesPyTorch()
    {
        var c = Root.GetProperty("barlow_varcov");
        using var scope = NewDisposeScope();
        var (z1, z2) = (Input(c, "z1"), Input(c, "z2"));
        var method = new BarlowTwinsMethod(c.GetProperty("off_diagonal").GetDouble(), new AddedTerms(c.GetProperty("mu").GetDouble(), c.GetProperty("nu").GetDouble()));
        using var loss = method.Compute(z1, z2);
        Check(c, loss.Total, "loss", "barlow twins + var/cov", ("z1", z1), ("z2", z2));
    }

    [Fact]
    public void ByolMomentumScheduleMatchesTheFormula()
    {
        var c = Root.GetProperty("byol_tau");
        var method = new ByolMethod(c.GetProperty("tau0").GetDouble());
        long total = c.GetProperty("total_steps").GetInt64();
        var expected = Fixtures.Doubles(c.GetProperty("tau"));
        for (int k = 0; k < expected.Length; k++) Close.Scalar(expected[k], method.TauAt(k, total), 1e-12, $"tau at {k}");
    }
}
