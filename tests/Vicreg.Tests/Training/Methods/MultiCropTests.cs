using Vicreg.Tests.Training;
using Vicreg.Runs;
using Vicreg.Training;
using Vicreg.Training.Config;
using Vicreg.Training.Distributed;
using Vicreg.Training.Methods;
using Vicreg.Training.Runs;
using Vicreg.Training.Sources;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training.Methods;

/// <summary>Multi-crop in configs and methods: where local views come from, how VICReg-like methods average their
/// pairs, that VICReg and SwAV train with them, and the one-line refusals where they cannot work.</summary>
public class MultiCropTests
{
    private const string TwoLocal8 = "[{\"count\": 2, \"size\": 8, \"scale_min\": 0.05, \"scale_max\": 0.14}]";

    private static string[] Base(params string[] sets) =>
        new[] { "data.kind=synthetic-images", "model.branch_a.encoder=resnet18", "model.branch_a.expander=16-16" }.Concat(sets).ToArray();

    private static ConfigException Refused(params string[] sets) =>
        Assert.Throws<ConfigException>(() => ConfigLoader.Parse("{}", "m.json", Base(sets), overridesSource: "m.json")); // the settings stand for the file's

    public static IEnumerable<object[]> WithoutLocalViews() => MethodCases.Where(e => e.Capabilities.LocalViews == LocalViewUse.None);

    public static IEnumerable<object[]> WithLocalViews() => MethodCases.Where(e => e.Capabilities.LocalViews != LocalViewUse.None);

    [Theory]
    [MemberData(nameof(WithoutLocalViews))]
    public void MethodsThatDoNotUseLocalViewsRefuseThemInOneLine(string method)
    {
        var e = Refused(MethodCases.Settings(method, embeddingWidth: 16).Append($"model.branch_a.view.local_crops={TwoLocal8}").ToArray());
        Assert.Equal("model.branch_a.view.local_crops", e.Field);
        var users = string.Join(", ", MethodCatalog.All.Where(x => x.Capabilities.LocalViews != LocalViewUse.None).Select(x => x.Name));
        Assert.Equal($"m.json: model.branch_a.view.local_crops: method {method} does not use local views (multi-crop); remove local_crops, or use {users}", e.Message);
    }

    [Fact]
    public void ThePapersMultiCropUsersAreListed() =>
        Assert.Equal(new[] { "vicreg", "barlow-twins", "simclr", "swav" }, WithLocalViews().Select(x => (string)x[0]).Take(4));

    [Fact]
    public void MultiCropSettingsThatCannotWorkAreRefusedByField()
    {
        Assert.Equal("parallel.devices", Refused($"model.branch_a.view.local_crops={TwoLocal8}", "parallel.devices=[\"cpu\",\"cpu\"]").Field);
        Assert.Equal("model.branch_a.view.local_crops[0].scale_max",
            Refused("model.branch_a.view.local_crops=[{\"count\": 2, \"size\": 8, \"scale_min\": 0.2, \"scale_max\": 0.1}]").Field);
        Assert.Equal("model.branch_a.view.local_crops[0].count", Refused("model.branch_a.view.local_crops=[{\"count\": 0}]").Field);
        Assert.Equal("model.branch_a.view.local_crops", Refused("model.branch_a.view.local_crops=[]").Field);
        Assert.Equal("model.branch_a.view.local_crops[0].sizes", Refused("model.branch_a.view.local_crops=[{\"sizes\": 8}]").Field);
        // A waveform branch has no local crops.
        var audio = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("{}", "m.json", new[]
        {
            "data.kind=synthetic-audio", "model.branch_a.encoder=resnet1d18", $"model.branch_a.view.local_crops={TwoLocal8}",
        }));
        Assert.Equal("model.branch_a.view.local_crops", audio.Field);
        Assert.Contains("is an image setting", audio.Message);
        // Launched as several processes: refused before anything is built.
        var c = ConfigLoader.Parse("{}", "m.json", Base($"model.branch_a.view.local_crops={TwoLocal8}"));
        Assert.StartsWith("model.branch_a.view.local_crops: multi-crop runs in one process", ProcessSetup.Refusal(c, 2));
    }

    [Fact]
    public void AnEntryWhoseLocalViewUseItsClassCannotHonourIsABug()
    {
        Assert.Throws<ArgumentException>(() => MethodEntry.Of<VicRegMethodOptions, VicRegMethod>("own-vicreg", "",
            new MethodCapabilities(LocalViews: LocalViewUse.Own), (_, _) => new VicRegMethod()));
        Assert.Throws<ArgumentException>(() => MethodEntry.Of<SwavOptions, SwavMethod>("paired-swav", "",
            new MethodCapabilities(LocalViews: LocalViewUse.Paired), (_, _) => new SwavMethod()));
    }

    [Fact]
    public void LocalViewsBelongToTheBranchThatListsThem()
    {
        string locals = $"model.branch_a.view.local_crops={TwoLocal8}";
        var shared = ConfigLoader.Parse("{}", "m.json", Base(locals));
        Assert.Equal((1, 0), (ModalityCatalog.LocalsFor(shared, BranchSide.A).Count, ModalityCatalog.LocalsFor(shared, BranchSide.B).Count));
        var copy = ConfigLoader.Parse("{}", "m.json", Base(locals, "model.shared=false")); // branch B copies branch A, local crops too
        Assert.Equal((1, 1), (ModalityCatalog.LocalsFor(copy, BranchSide.A).Count, ModalityCatalog.LocalsFor(copy, BranchSide.B).Count));
        var own = ConfigLoader.Parse("{}", "m.json", Base(locals, "model.shared=false", "model.branch_b={\"encoder\": \"resnet34\", \"expander\": \"16-16\"}"));
        Assert.Empty(ModalityCatalog.LocalsFor(own, BranchSide.B));
        var recipe = ModalityCatalog.LocalsFor(shared, BranchSide.A)[0];
        Assert.Equal(2, recipe.Count);
        Assert.Equal(new long[] { 3, 8, 8 }, recipe.Recipe.TrainShape);
        var train = ((Vicreg.Data.Views.ImageViewRecipe)recipe.Recipe).Train;
        Assert.Equal((0.05, 0.14), (train.ScaleMin, train.ScaleMax));
    }

    [Fact]
    public void PairedMethodsAverageEachGlobalViewAgainstEveryOtherView()
    {
        manual_seed(5);
        using var scope = NewDisposeScope();
        IPairwiseMethod method = new VicRegMethod();
        var (za, zb) = (randn(16, 8), randn(16, 8));
        var locals = new[] { randn(16, 8), randn(16, 8) };
        var averaged = LocalViewPairs.Average(method, za, zb, locals);
        var pairs = new[] { (za, zb), (za, zb), (za, locals[0]), (zb, locals[0]), (za, locals[1]), (zb, locals[1]) }
            .Select(p => method.Compute(p.Item1, p.Item2)).ToArray(); // the global pair counted from each side
        Close.Scalar(pairs.Average(l => l.Total.item<float>()), averaged.Total.item<float>(), 1e-6, "total");
        foreach (var term in new[] { "invariance", "variance", "covariance" })
            Close.Scalar(pairs.Average(l => l.Term(term)!.item<float>()), averaged.Term(term)!.item<float>(), 1e-6, term);
        // Without local views: the two-view loss itself.
        Assert.Equal(method.Compute(za, zb).Total.item<float>(), LocalViewPairs.Average(method, za, zb, Array.Empty<TorchSharp.torch.Tensor>()).Total.item<float>());
    }

    [Theory]
    [MemberData(nameof(WithLocalViews))]
    public void AMethodTrainsAndLogsWithLocalViews(string method)
    {
        using var tiny = new TinyExperiment();
        var c = tiny.Config($"multicrop-{method}", "optim.epochs=1", "eval.diagnostics=false", "output.tensorboard=false", "output.plots=false",
            "model.branch_a.base_width=8", $"method.name={method}", $"model.branch_a.view.local_crops={TwoLocal8}");
        var lines = new List<string>();
        var outcome = PretrainJob.Run(c, new LineObserver(lines.Add));
        Assert.Contains(lines, l => l.Contains("both views image [3×16×16] + 2 local [3×8×8]"));
        var rows = StatsLog.Read(outcome.Run.StatsPath);
        Assert.Equal(4, rows.Count);
        var terms = MethodCatalog.Create(c).Terms;
        Assert.Equal(terms.Select(t => t.Name), rows[0].Terms.Select(t => t.Name));
        Assert.All(rows, r => Assert.True(double.IsFinite(r.Loss)));
        // The logged total is the weighted sum of the logged (averaged) terms.
        Assert.All(rows, r => Close.Scalar(terms.Sum(t => t.Weight * r.Term(t.Name)), r.Loss, 1e-5, $"{method} step {r.Step} total"));
    }

    private sealed class LineObserver(Action<string> info) : ITrainingObserver
    {
        public void Started(TrainingPlan plan) { }
        public void Step(StepStats stats) { }
        public void EpochEnded(int epoch, double meanLoss, string checkpoint) { }
        public void Info(string line) => info(line);
    }
}
