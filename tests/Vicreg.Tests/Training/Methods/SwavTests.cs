using System.Text.Json;
using Vicreg.Core;
using Vicreg.Losses;
using Vicreg.Tests.Training;
using Vicreg.Training;
using Vicreg.Tooling.Jobs;
using Vicreg.Training.Methods;
using Vicreg.Training.Model;
using Vicreg.Training.Runs;
using static TorchSharp.torch;

namespace Vicreg.Tests.Methods;

/// <summary>SwAV's loss pinned to tests/fixtures/swav.json (bench/reference/make_swav_fixtures.py, PyTorch 1.13,
/// float64 on float32-rounded inputs): value and codes 1e-5 relative, gradients 1e-5 relative to their largest
/// entry; and the method trains with its prototypes in the model.</summary>
public class SwavTests
{
    static JsonElement Root => Fixtures.Load("swav.json");

    public static IEnumerable<object[]> Cases() => Enumerable.Range(0, Root.GetProperty("swav").GetArrayLength()).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(Cases))]
    public void SwavLossCodesAndGradientsMatchPyTorch(int index)
    {
        var c = Root.GetProperty("swav")[index];
        long n = c.GetProperty("n").GetInt64(), d = c.GetProperty("d").GetInt64(), k = c.GetProperty("k").GetInt64();
        using var scope = NewDisposeScope();
        var z1 = Fixtures.Float32(c.GetProperty("z1"), n, d).requires_grad_();
        var z2 = Fixtures.Float32(c.GetProperty("z2"), n, d).requires_grad_();
        var prototypes = Fixtures.Float32(c.GetProperty("prototypes"), k, d).requires_grad_();
        var swav = new SwavLoss(c.GetProperty("temperature").GetDouble(), c.GetProperty("epsilon").GetDouble(), c.GetProperty("iterations").GetInt32());

        using (no_grad())
        {
            Close.Array(Fixtures.Doubles(c.GetProperty("codes1")), swav.Codes(CosineLosses.Normalize(z1).matmul(prototypes.t())), 1e-5, $"swav #{index} codes of view 1");
            Close.Array(Fixtures.Doubles(c.GetProperty("codes2")), swav.Codes(CosineLosses.Normalize(z2).matmul(prototypes.t())), 1e-5, $"swav #{index} codes of view 2");
        }
        var loss = swav.Compute(z1, z2, prototypes);
        Close.Scalar(c.GetProperty("loss").GetDouble(), loss.item<float>(), 1e-5, $"swav #{index} loss");
        loss.backward();
        Close.Array(Fixtures.Doubles(c.GetProperty("grad_z1")), z1.grad!, 1e-5, $"swav #{index} d/dz1");
        Close.Array(Fixtures.Doubles(c.GetProperty("grad_z2")), z2.grad!, 1e-5, $"swav #{index} d/dz2");
        Close.Array(Fixtures.Doubles(c.GetProperty("grad_prototypes")), prototypes.grad!, 1e-5, $"swav #{index} d/dprototypes");
    }

    [Fact]
    public void SwavTrainsWithItsPrototypesInTheCheckpoint()
    {
        using var tiny = new TinyExperiment();
        var c = tiny.Config("swav", "optim.epochs=1", "optim.name=adamw", "optim.base_lr=0.001", "optim.scale_lr_with_batch=false",
            "eval.diagnostics=false", "output.tensorboard=false", "output.plots=false", "model.branch_a.base_width=8",
            "method.name=swav", "method.prototypes=6");
        var outcome = PretrainJob.Run(c, NullObserver.Instance);
        var rows = StatsLog.Read(outcome.Run.StatsPath);
        Assert.Equal(4, rows.Count);
        Assert.Equal(new[] { "swapped_prediction" }, rows[0].Terms.Select(t => t.Name));
        Assert.All(rows, r => Assert.True(double.IsFinite(r.Loss) && r.Loss == r.Term("swapped_prediction")));

        manual_seed(99);
        using var restored = ModelFactory.Build(c.Model, c.Method);
        Assert.Contains("prototypes.weight", restored.state_dict().Keys);
        var before = ((TorchSharp.Modules.Linear)restored.MethodModule(SwavMethod.PrototypesModule)!).weight!.clone();
        Assert.NotNull(Checkpoints.TryRestoreLatest(outcome.Run, restored));
        var trained = ((TorchSharp.Modules.Linear)restored.MethodModule(SwavMethod.PrototypesModule)!).weight!;
        Assert.Equal(new long[] { 6, 32 }, trained.shape);
        Assert.False(trained.allclose(before));
        // Renormalised before each step, then moved by one small step: rows close to unit norm.
        Assert.True(trained.norm(1).sub(Scalars.One).abs().max().item<float>() < 0.05f);
    }

    [Fact]
    public void SwavRefusesDataParallelismAndBadSettings()
    {
        string[] Base(params string[] sets) => new[] { "data.kind=synthetic-images", "model.branch_a.encoder=resnet18", "model.branch_a.expander=16-16", "method.name=swav" }.Concat(sets).ToArray();
        Assert.Equal("parallel.devices", Assert.Throws<Vicreg.Training.Config.ConfigException>(() =>
            Vicreg.Training.Config.ConfigLoader.Parse("{}", "s.json", Base("parallel.devices=[\"cpu\",\"cpu\"]"))).Field);
        Assert.Equal("method.epsilon", Assert.Throws<Vicreg.Training.Config.ConfigException>(() =>
            Vicreg.Training.Config.ConfigLoader.Parse("{}", "s.json", Base("method.epsilon=0"))).Field);
        Assert.Equal("method.prototypes", Assert.Throws<Vicreg.Training.Config.ConfigException>(() =>
            Vicreg.Training.Config.ConfigLoader.Parse("{}", "s.json", Base("method.prototypes=0"))).Field);
    }
}
