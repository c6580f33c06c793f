using TorchSharp;
using Vicreg.Training.Optim;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training.Optim;

/// <summary>Three LARS steps pinned to tests/fixtures/lars_steps.json (the official optimizer in float64).
/// Tolerance: 1e-5 relative to each parameter's largest entry (we step in fp32).</summary>
public class LarsTests
{
    [Fact]
    public void ThreeStepsMatchTheOfficialOptimizer()
    {
        var f = Fixtures.Load("lars_steps.json");
        OptimizerSteps.Check(f, ps => new Lars(ps, f.GetProperty("weight_decay").GetDouble(), f.GetProperty("momentum").GetDouble(),
            f.GetProperty("eta").GetDouble()), f.GetProperty("lr").GetDouble(), "LARS");
    }

    [Fact]
    public void OneDimensionalParametersAreExcludedFromDecayAndTrustRatio()
    {
        Assert.True(Lars.IsExcluded(zeros(3)));
        Assert.False(Lars.IsExcluded(zeros(3, 2)));
        Assert.False(Lars.IsExcluded(zeros(1, 1, 3, 3)));
    }

    [Fact]
    public void StateRoundTripsThroughAFile()
    {
        using var scope = NewDisposeScope();
        var p = randn(4, 3).requires_grad_();
        using var a = new Lars(new[] { p });
        p.grad = ones(4, 3);
        a.Step(0.1);
        var path = Path.GetTempFileName();
        try
        {
            a.Save(path);
            var q = p.detach().clone().requires_grad_();
            using var b = new Lars(new[] { q });
            b.Load(path);
            p.grad = ones(4, 3);
            q.grad = ones(4, 3);
            a.Step(0.1);
            b.Step(0.1);
            Assert.Equal(p.data<float>().ToArray(), q.data<float>().ToArray());
        }
        finally { File.Delete(path); }
    }
}
