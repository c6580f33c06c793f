using Vicreg.Training.Config;
using Vicreg.Training.Methods;

namespace Vicreg.Tests.Training.Methods;

/// <summary>The catalog's entries describe themselves; the flat `method` section reads into each entry's own
/// options, refuses fields the method does not have, and still reads the config.json of earlier runs.</summary>
public class MethodCatalogTests
{
    static ExperimentConfig Parse(string json, params string[] sets) => ConfigLoader.Parse(json, "m.json",
        new[] { "data.kind=synthetic-images", "model.branch_a.encoder=resnet18", "model.branch_a.expander=16-16" }.Concat(sets), overridesSource: "m.json");

    [Fact]
    public void ThePapersMethodsAreEntriesWithTheirCapabilities()
    {
        Assert.Equal(new[] { "vicreg", "barlow-twins", "simclr", "byol", "simsiam" }, MethodCatalog.Names.Take(5));
        var byol = MethodCatalog.Get("byol");
        Assert.Equal(PredictorUse.Required, byol.Capabilities.Predictor);
        Assert.True(byol.Capabilities.MomentumTarget);
        Assert.False(byol.Capabilities.UnsharedBranches);
        Assert.False(byol.Capabilities.DataParallel);
        Assert.Equal(PredictorUse.Optional, MethodCatalog.Get("simsiam").Capabilities.Predictor);
        Assert.Equal(LocalViewUse.None, byol.Capabilities.LocalViews);
        Assert.Equal(LocalViewUse.Own, MethodCatalog.Get("swav").Capabilities.LocalViews);
        foreach (var name in new[] { "vicreg", "barlow-twins", "simclr" })
        {
            var e = MethodCatalog.Get(name);
            Assert.Equal(new MethodCapabilities(LocalViews: LocalViewUse.Paired), e.Capabilities); // local views paired with each global view
            Assert.IsAssignableFrom<IPairwiseMethod>(e.Create(e.DefaultOptions, MethodContext.Of(new ExperimentConfig()))); // a loss of the two embeddings alone
        }
        Assert.Equal(0.99, Assert.IsType<ByolOptions>(byol.DefaultOptions).Tau);
        Assert.Equal(0.1, Assert.IsType<SimClrOptions>(MethodCatalog.Get("simclr").DefaultOptions).Temperature);
        Assert.Equal(0.0051, Assert.IsType<BarlowTwinsOptions>(MethodCatalog.Get("barlow-twins").DefaultOptions).OffDiagonal);
    }

    [Fact]
    public void AFieldTheMethodDoesNotHaveIsRefusedNamingFileAndField()
    {
        var e = Assert.Throws<ConfigException>(() => Parse("{}", "method.name=simclr", "method.tau=0.9"));
        Assert.Equal("method.tau", e.Field);
        Assert.StartsWith("m.json: method.tau: unknown field for method simclr", e.Message);
        var vicreg = Assert.Throws<ConfigException>(() => Parse("""{ "method": { "name": "vicreg", "var_coeff": 1 } }"""));
        Assert.Equal("method.var_coeff", vicreg.Field);
        var typo = Assert.Throws<ConfigException>(() => Parse("""{ "method": { "name": "byol", "tua": 0.9 } }""", "model.branch_a.predictor=16-16"));
        Assert.Equal("method.tua", typo.Field);
        Assert.Equal("method", Assert.Throws<ConfigException>(() => Parse("""{ "method": null }""")).Field);
        var type = Assert.Throws<ConfigException>(() => Parse("""{ "method": { "name": "simclr", "temperature": "warm" } }"""));
        Assert.Equal("method.temperature", type.Field);
    }

    [Fact]
    public void TheConfigJsonOfEarlierRunsStillLoads()
    {
        // Before the catalog every run's config.json had all five fields, at their defaults for other methods.
        const string earlier = """{ "method": { "name": "simclr", "temperature": 0.2, "tau": 0.99, "off_diagonal": 0.0051, "var_coeff": 1, "cov_coeff": 0.01 } }""";
        var c = Parse(earlier);
        Assert.Equal(new SimClrOptions { Temperature = 0.2, VarCoeff = 1, CovCoeff = 0.01 }, c.Method.Options);
        Assert.Equal(new MethodConfig(), Parse("""{ "method": { "name": "vicreg", "temperature": 0.1, "tau": 0.99, "off_diagonal": 0.0051, "var_coeff": 0, "cov_coeff": 0 } }""").Method);
        // A non-default value of a field the method does not have was ignored then; now it is refused.
        Assert.Equal("method.tau", Assert.Throws<ConfigException>(() => Parse("""{ "method": { "name": "simclr", "tau": 0.9 } }""")).Field);
    }

    [Fact]
    public void TheResolvedConfigRoundTripsFlat()
    {
        var c = Parse("{}", "method.name=byol", "model.branch_a.predictor=16-16", "method.tau=0.996", "method.var_coeff=1");
        string json = ConfigLoader.Serialize(c);
        var section = (System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse(json)!["method"]!;
        Assert.Equal(new[] { "cov_coeff", "name", "tau", "var_coeff" }, section.Select(p => p.Key).Order());
        Assert.Equal(0.996, section["tau"]!.GetValue<double>());
        var again = ConfigLoader.Parse(json, "config.json");
        Assert.Equal(c.Method, again.Method);
        Assert.Equal(ConfigHash.OfTraining(c), ConfigHash.OfTraining(again));
    }

    [Fact]
    public void DataParallelismIsRefusedFromTheCapabilityOnce()
    {
        var e = Assert.Throws<ConfigException>(() => Parse("{}", "method.name=simsiam", "parallel.devices=[\"cpu\",\"cpu\"]"));
        Assert.Equal("parallel.devices", e.Field);
        Assert.Contains("method simsiam does not work with data parallelism", e.Message);
        Assert.Equal("simclr", Parse("{}", "method.name=simclr", "parallel.devices=[\"cpu\",\"cpu\"]").Method.Name);
    }

    [Fact]
    public void EachMethodDeclaresTheTermsItsLossReports()
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var za = TorchSharp.torch.randn(8, 16);
        var zb = TorchSharp.torch.randn(8, 16);
        foreach (var sets in new[] { new[] { "method.name=vicreg" }, new[] { "method.name=barlow-twins", "method.var_coeff=1" }, new[] { "method.name=simclr" } })
        {
            var method = MethodCatalog.Create(Parse("{}", sets));
            using var loss = method.Loss(new EmbeddingsOnlyPass(za, zb, "this test"));
            Assert.Equal(method.Terms.Select(t => t.Name), loss.Terms.Select(t => t.Name));
            var v = loss.Values();
            Assert.Equal(v.Total, method.Terms.Sum(t => t.Weight * v.Term(t.Name)), 1e-3 * Math.Abs(v.Total) + 1e-5);
        }
        Assert.Equal(new[] { "invariance", "variance", "covariance" }, MethodCatalog.Create(Parse("{}")).Terms.Select(t => t.Name));
        Assert.Equal(new[] { "on_diagonal", "off_diagonal", "variance", "covariance" },
            MethodCatalog.Create(Parse("{}", "method.name=barlow-twins", "method.var_coeff=1")).Terms.Select(t => t.Name));
        Assert.Equal(new[] { "prediction" }, MethodCatalog.Create(Parse("{}", "method.name=byol", "model.branch_a.predictor=16-16")).Terms.Select(t => t.Name));
        Assert.Equal(new[] { "negative_cosine", "variance", "covariance" },
            MethodCatalog.Create(Parse("{}", "method.name=simsiam", "method.cov_coeff=0.01")).Terms.Select(t => t.Name));
    }
}
