using System.Text.Json;
using Vicreg.Training.Optim;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training.Optim;

/// <summary>Replays a fixture's steps (given grads) through an optimizer and compares every parameter after
/// every step. Tolerance: 1e-5 relative to each parameter's largest entry (we step in fp32, PyTorch in fp64).</summary>
internal static class OptimizerSteps
{
    public static void Check(JsonElement f, Func<IEnumerable<Tensor>, IStepOptimizer> create, double lr, string what)
    {
        using var scope = NewDisposeScope();
        var spec = f.GetProperty("params");
        var names = spec.EnumerateObject().Select(p => p.Name).ToArray();
        var ps = names.ToDictionary(n => n, n => Fixtures.Float32(spec.GetProperty(n).GetProperty("initial"),
            Fixtures.Shape(spec.GetProperty(n).GetProperty("shape"))).requires_grad_());
        using var optimizer = create(names.Select(n => ps[n]));
        int k = 0;
        foreach (var step in f.GetProperty("steps").EnumerateArray())
        {
            foreach (var n in names) ps[n].grad = Fixtures.Float32(step.GetProperty("grads").GetProperty(n), ps[n].shape);
            optimizer.Step(lr);
            k++;
            foreach (var n in names)
                Close.Array(Fixtures.Doubles(step.GetProperty("after").GetProperty(n)), ps[n], 1e-5, $"{what} step {k} param {n}");
        }
    }
}

/// <summary>AdamW and SGD pinned to torch.optim (tests/fixtures/optimizers.json).</summary>
public class OptimizerFixtureTests
{
    [Fact]
    public void AdamWMatchesTorchOptimAdamW()
    {
        var f = Fixtures.Load("optimizers.json").GetProperty("adamw");
        OptimizerSteps.Check(f, ps => new AdamWOptimizer(ps, f.GetProperty("weight_decay").GetDouble()), f.GetProperty("lr").GetDouble(), "AdamW");
    }

    [Fact]
    public void MomentumSgdMatchesTorchOptimSgd()
    {
        var f = Fixtures.Load("optimizers.json").GetProperty("sgd");
        OptimizerSteps.Check(f, ps => new MomentumSgd(ps, f.GetProperty("momentum").GetDouble(), f.GetProperty("weight_decay").GetDouble()),
            f.GetProperty("lr").GetDouble(), "SGD");
    }
}
