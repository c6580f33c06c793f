using Vicreg.Tests.Training;
using Vicreg.Training.Config;
using Vicreg.Training.Methods;
using Vicreg.Training.Model;

namespace Vicreg.Tests.Training.Methods;

/// <summary>The method section: every method builds, and settings that cannot work are refused naming the field.</summary>
public class MethodConfigTests
{
    static ExperimentConfig Parse(params string[] sets) => ConfigLoader.Parse("{}", "m.json",
        new[] { "data.kind=synthetic-images", "model.branch_a.encoder=resnet18", "model.branch_a.expander=16-16", "model.branch_a.base_width=8" }.Concat(sets));

    public static IEnumerable<object[]> EveryMethod() => MethodCases.Where(_ => true);

    [Theory]
    [MemberData(nameof(EveryMethod))]
    public void EachMethodBuildsFromItsName(string name) =>
        Assert.Equal(name, MethodCatalog.Create(Parse(MethodCases.Settings(name, embeddingWidth: 16))).Name);

    [Fact]
    public void ThePapersMethodsBuildTheirOwnClasses()
    {
        Assert.IsType<VicRegMethod>(MethodCatalog.Create(Parse("method.name=vicreg")));
        Assert.IsType<BarlowTwinsMethod>(MethodCatalog.Create(Parse("method.name=barlow-twins")));
        Assert.IsType<SimClrMethod>(MethodCatalog.Create(Parse("method.name=simclr")));
        Assert.IsType<SimSiamMethod>(MethodCatalog.Create(Parse("method.name=simsiam")));
    }

    [Fact]
    public void ByolGetsAFrozenMomentumTargetCopiedFromBranchA()
    {
        var c = Parse("method.name=byol", "model.branch_a.predictor=32-16");
        Assert.IsType<ByolMethod>(MethodCatalog.Create(c));
        using var model = ModelFactory.Build(c.Model, c.Method);
        Assert.NotNull(model.Target);
        Assert.NotNull(model.A.Predictor);
        Assert.All(model.Target!.parameters(), p => Assert.False(p.requires_grad));
        Assert.Contains(model.state_dict().Keys, k => k.StartsWith("target.", StringComparison.Ordinal));
        Assert.Contains(model.state_dict().Keys, k => k.Contains(".predictor.", StringComparison.Ordinal));
        Assert.All(model.TargetPairs, x => Assert.True(x.Online.allclose(x.Target)));
    }

    [Theory]
    [InlineData("model.shared", "method.name=byol", "model.branch_a.predictor=16-16", "model.shared=false")]
    [InlineData("model.shared", "method.name=simsiam", "model.shared=false")]
    [InlineData("model.branch_a.predictor", "method.name=byol")]
    [InlineData("model.branch_a.predictor", "method.name=byol", "model.branch_a.predictor=16-8")]
    [InlineData("model.branch_a.predictor", "method.name=vicreg", "model.branch_a.predictor=16-16")]
    [InlineData("method.name", "method.name=moco")]
    [InlineData("method.temperature", "method.name=simclr", "method.temperature=0")]
    [InlineData("method.tau", "method.name=byol", "model.branch_a.predictor=16-16", "method.tau=1")]
    [InlineData("method.var_coeff", "method.name=simclr", "method.var_coeff=-1")]
    public void ImpossibleSettingsAreRefusedNamingTheField(string field, params string[] sets)
    {
        var e = Assert.Throws<ConfigException>(() => Parse(sets));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void ByolWithUnsharedBranchesSaysTheTargetMustMirrorTheOnlineBranch()
    {
        var e = Assert.Throws<ConfigException>(() => Parse("method.name=byol", "model.branch_a.predictor=16-16", "model.shared=false"));
        Assert.Contains("the target must mirror the online branch", e.Message);
    }

    [Fact]
    public void ByolMomentumUpdateMovesTheTargetTowardsTheOnlineBranch()
    {
        var c = Parse("method.name=byol", "model.branch_a.predictor=32-16", "method.tau=0.9");
        using var model = ModelFactory.Build(c.Model, c.Method);
        using (TorchSharp.torch.no_grad())
            foreach (var (online, _) in model.TargetPairs) online.add_(TorchSharp.torch.ones_like(online), Vicreg.Core.Scalars.One);
        var before = model.TargetPairs.Select(x => (Online: x.Online.clone(), Target: x.Target.clone())).ToArray();
        var method = new ByolMethod(0.9);
        method.AfterOptimizerStep(model, 0, 10); // τ at step 0 is τ₀ = 0.9
        foreach (var ((online, target), (o0, t0)) in model.TargetPairs.Zip(before))
        {
            using var expected = t0.mul(TorchSharp.torch.tensor(0.9f)).add(o0.mul(TorchSharp.torch.tensor(0.1f)), Vicreg.Core.Scalars.One);
            Assert.True(target.allclose(expected, rtol: 1e-5, atol: 1e-6));
        }
    }
}

/// <summary>The training hash of a plain VICReg config does not see the ablation fields at their defaults.</summary>
public class MethodHashTests
{
    static ExperimentConfig Parse(params string[] sets) => ConfigLoader.Parse("{}", "m.json", new[] { "data.kind=synthetic-images" }.Concat(sets));

    [Fact]
    public void DefaultMethodFieldsAreLeftOutOfTheTrainingHash()
    {
        var c = Parse();
        string text = MethodDefaults.WithoutDefaults(ConfigLoader.Serialize(c with { Eval = new EvalConfig(), Output = new OutputConfig(), Data = c.Data with { Workers = 1 } }));
        Assert.DoesNotContain("\"method\"", text);
        Assert.DoesNotContain("expander_batch_norm", text);
        Assert.DoesNotContain("normalize_embedding", text);
        Assert.Contains("\"branch_a\"", text);
        Assert.Equal(text, MethodDefaults.WithoutDefaults(text));
        Assert.Equal(ConfigHash.OfTraining(c), ConfigHash.OfTraining(Parse("method.name=vicreg", "model.branch_a.expander_batch_norm=true")));
        Assert.NotEqual(ConfigHash.OfTraining(c), ConfigHash.OfTraining(Parse("method.name=simclr")));
        Assert.NotEqual(ConfigHash.OfTraining(c), ConfigHash.OfTraining(Parse("model.branch_a.expander_batch_norm=false")));
        Assert.NotEqual(ConfigHash.OfTraining(c), ConfigHash.OfTraining(Parse("model.branch_a.normalize_embedding=true")));
    }
}
