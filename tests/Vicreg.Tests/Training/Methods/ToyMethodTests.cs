using System.Globalization;
using Vicreg.Core;
using Vicreg.Losses;
using Vicreg.Tests.Training;
using Vicreg.Training;
using Vicreg.Training.Config;
using Vicreg.Runs;
using Vicreg.Training.Methods;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training.Methods;

/// <summary>Options of the toy method: the weight of its spread term.</summary>
public sealed record ToyOptions : MethodOptions
{
    public double SpreadWeight { get; init; } = 0.5;
}

/// <summary>A method that lives in the test assembly only: alignment (mean squared distance of the two
/// embeddings) plus w · spread (VICReg's variance hinge), as two named terms.</summary>
public sealed class ToyAlignSpread(double spreadWeight) : IPairwiseMethod
{
    public static readonly MethodEntry Entry = MethodEntry.Of<ToyOptions, ToyAlignSpread>(
        "toy-align-spread", "test only: alignment + w·spread", new MethodCapabilities(),
        (o, _) => new ToyAlignSpread(o.SpreadWeight),
        (o, _, require) => require(o.SpreadWeight >= 0, "method.spread_weight", $"must be ≥ 0; got {o.SpreadWeight}"));

    public string Name => "toy-align-spread";
    public IReadOnlyList<LossTerm> Terms => new[] { new LossTerm("alignment"), new LossTerm("spread", spreadWeight) };

    public LossTerms Compute(Tensor a, Tensor b)
    {
        var alignment = nn.functional.mse_loss(a, b);
        var spread = new VarianceCovarianceLoss().Compute(a, b).Term("variance")!;
        return new LossTerms(alignment.Plus(spread.Times(spreadWeight)), ("alignment", alignment), ("spread", spread));
    }
}

/// <summary>Adding a method needs no library change: the test registers one through the catalog alone and trains it.</summary>
public class ToyMethodTests
{
    static ToyMethodTests() => MethodCatalog.Register(ToyAlignSpread.Entry);

    static readonly string[] Small = { "optim.epochs=1", "optim.name=adamw", "optim.base_lr=0.001", "optim.scale_lr_with_batch=false",
        "eval.diagnostics=false", "output.tensorboard=false", "output.plots=false", "model.branch_a.base_width=8" };

    [Fact]
    public void AToyMethodFromTheTestAssemblyTrainsThroughTheCatalog()
    {
        using var tiny = new TinyExperiment();
        var c = tiny.Config("toy", Small.Concat(new[] { "method.name=toy-align-spread", "method.spread_weight=2" }).ToArray());
        Assert.Equal(2.0, Assert.IsType<ToyOptions>(c.Method.Options).SpreadWeight);
        var outcome = PretrainJob.Run(c, NullObserver.Instance);
        Assert.Equal(4, outcome.StepsTaken); // 32 images / batch 8

        var lines = File.ReadAllLines(outcome.Run.StatsPath);
        Assert.Equal("epoch,step,lr,loss,alignment,spread,samples_per_s,seconds", lines[0]);
        foreach (var row in lines.Skip(1).Select(l => l.Split(',').Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray()))
        {
            Assert.All(row, v => Assert.True(double.IsFinite(v)));
            Assert.Equal(row[4] + 2 * row[5], row[3], 1e-5);
        }
        // Its config.json reloads, with its own field.
        var again = ConfigLoader.LoadFile(outcome.Run.ConfigPath);
        Assert.Equal(c.Method, again.Method);
    }

    [Fact]
    public void TheToyMethodsOwnValidationNamesItsField()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("{}", "toy.json",
            new[] { "data.kind=synthetic-images", "method.name=toy-align-spread", "method.spread_weight=-1" }));
        Assert.Equal("method.spread_weight", e.Field);
        var unknown = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("{}", "toy.json",
            new[] { "data.kind=synthetic-images", "method.name=toy-align-spread", "method.temperature=0.5" }, overridesSource: "toy.json"));
        Assert.Equal("toy.json: method.temperature: unknown field for method toy-align-spread (its fields: spread_weight)", unknown.Message);
    }
}
