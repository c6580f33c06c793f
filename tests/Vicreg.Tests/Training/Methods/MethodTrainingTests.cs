using Vicreg.Tests.Training;
using Vicreg.Training;
using Vicreg.Runs;
using Vicreg.Training.Methods;
using Vicreg.Training.Model;
using Vicreg.Training.Runs;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training.Methods;

/// <summary>Each non-VICReg method trains through the same trainer; BYOL's target moves and survives resume.</summary>
public class MethodTrainingTests
{
    static readonly string[] Small = { "optim.epochs=2", "optim.name=adamw", "optim.base_lr=0.001", "optim.scale_lr_with_batch=false",
        "eval.diagnostics=false", "output.tensorboard=false", "output.plots=false", "model.branch_a.base_width=8" };

    public static IEnumerable<object[]> EveryMethod() => MethodCases.Where(_ => true);

    [Theory]
    [MemberData(nameof(EveryMethod))]
    public void MethodTrainsWithFiniteLoss(string name)
    {
        using var tiny = new TinyExperiment();
        var c = tiny.Config(name, Small.Concat(MethodCases.Settings(name, embeddingWidth: 32, addedTerms: true)).ToArray());
        var outcome = PretrainJob.Run(c, NullObserver.Instance);
        Assert.Equal(outcome.TotalSteps, outcome.StepsTaken);
        var losses = File.ReadAllLines(outcome.Run.StatsPath).Skip(1).Select(l => double.Parse(l.Split(',')[3], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.All(losses, l => Assert.True(double.IsFinite(l)));
        // The method's own terms are its columns, with values (no NaN columns borrowed from VICReg).
        var rows = StatsLog.Read(outcome.Run.StatsPath);
        Assert.Equal(MethodCatalog.Create(c).Terms.Select(t => t.Name), rows[0].Terms.Select(t => t.Name));
        Assert.All(rows, r => Assert.All(r.Terms, t => Assert.True(double.IsFinite(t.Value), t.Name)));
    }

    [Fact]
    public void ByolMovesItsTargetAndTheTargetIsInTheCheckpoint()
    {
        using var tiny = new TinyExperiment();
        var c = tiny.Config("byol", Small.Concat(new[] { "method.name=byol", "model.branch_a.predictor=16-32", "method.tau=0.9" }).ToArray());
        var outcome = PretrainJob.Run(c, NullObserver.Instance);
        Assert.Equal(outcome.TotalSteps, outcome.StepsTaken);

        manual_seed(123);
        using var restored = ModelFactory.Build(c.Model, c.Method);
        var state = Checkpoints.TryRestoreLatest(outcome.Run, restored);
        Assert.NotNull(state);
        // The target is a moving average: neither its initial copy (fresh build differs) nor equal to the online weights.
        Assert.Contains(restored.TargetPairs, x => !x.Online.allclose(x.Target));
        manual_seed(c.Seed);
        using var fresh = ModelFactory.Build(c.Model, c.Method);
        Assert.Contains(restored.TargetPairs.Zip(fresh.TargetPairs), x => !x.First.Target.allclose(x.Second.Target));
    }
}
