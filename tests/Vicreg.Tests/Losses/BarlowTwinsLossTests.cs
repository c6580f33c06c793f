using TorchSharp;
using Vicreg.Losses;
using static TorchSharp.torch;

namespace Vicreg.Tests.Losses;

/// <summary>Pinned to tests/fixtures/barlow_twins.json (PyTorch, float64). Tolerances as for VICReg.</summary>
public class BarlowTwinsLossTests
{
    public static IEnumerable<object[]> Cases() =>
        Enumerable.Range(0, Fixtures.Load("barlow_twins.json").GetProperty("cases").GetArrayLength()).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(Cases))]
    public void ValueAndGradientsMatchPyTorch(int index)
    {
        var root = Fixtures.Load("barlow_twins.json");
        var c = root.GetProperty("cases")[index];
        int n = c.GetProperty("n").GetInt32(), d = c.GetProperty("d").GetInt32();
        using var scope = NewDisposeScope();
        var z1 = Fixtures.Float32(c.GetProperty("z1"), n, d).requires_grad_();
        var z2 = Fixtures.Float32(c.GetProperty("z2"), n, d).requires_grad_();
        var loss = new BarlowTwinsLoss(root.GetProperty("lambda").GetDouble()).Compute(z1, z2).Total;
        Close.Scalar(c.GetProperty("loss").GetDouble(), loss.item<float>(), 1e-5, $"barlow ({n}x{d})");
        var grads = torch.autograd.grad(new[] { loss }, new[] { z1, z2 });
        Close.Array(Fixtures.Doubles(c.GetProperty("grads").GetProperty("z1")), grads[0], 1e-5, "dL/dz1");
        Close.Array(Fixtures.Doubles(c.GetProperty("grads").GetProperty("z2")), grads[1], 1e-5, "dL/dz2");
    }
}
