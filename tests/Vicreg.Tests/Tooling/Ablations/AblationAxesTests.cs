using Vicreg.Tooling.Ablations;

namespace Vicreg.Tests.Tooling.Ablations;

/// <summary>The two spellings of a grid's axes, and where a grid's runs go without a runs_dir of its own.</summary>
public class AblationAxesTests
{
    private const string Base = """
        "base": { "data": { "kind": "synthetic-images" }, "output": { "runs_dir": "my-runs" },
                  "model": { "branch_a": { "encoder": "resnet18", "expander": "16-16", "base_width": 8 } } }
        """;

    private static AblationGrid Write(TempDir dir, string body)
    {
        var path = dir.Combine("grid.json");
        File.WriteAllText(path, body);
        return AblationGrid.Load(path);
    }

    [Fact]
    public void ABareListOfValuesIsAnAxisToo()
    {
        using var dir = new TempDir();
        var named = Write(dir, "{ \"name\": \"g\", " + Base + """
            , "axes": [ { "name": "lr", "values": [ { "label": "low", "set": { "optim.base_lr": 0.1 } }, { "label": "high", "set": { "optim.base_lr": 0.3 } } ] } ] }
            """);
        var bare = Write(dir, "{ \"name\": \"g\", " + Base + """
            , "axes": [ [ { "label": "low", "set": { "optim.base_lr": 0.1 } }, { "label": "high", "set": { "optim.base_lr": 0.3 } } ] ] }
            """);
        Assert.Equal(named.Points().Select(p => p.Overrides), bare.Points().Select(p => p.Overrides));
        Assert.Equal("axis1", bare.Axes[0].Name);
        Assert.Equal(0.3, bare.ConfigOf(bare.Points()[1]).Optim.BaseLr);
        var e = Assert.Throws<Vicreg.Training.Config.ConfigException>(() => Write(dir, "{ " + Base + ", \"axes\": [ 3 ] }"));
        Assert.Contains("axes[0]: must be an object {\"name\": …, \"values\": [", e.Message);
    }

    [Fact]
    public void TheGridGoesUnderTheBasesRunsDir()
    {
        using var dir = new TempDir();
        var grid = Write(dir, "{ \"name\": \"g\", " + Base + """
            , "axes": [ { "name": "lr", "values": [ { "label": "low", "set": { "optim.base_lr": 0.1 } } ] } ] }
            """);
        Assert.Equal(Path.Combine("my-runs", "ablations"), grid.RunsDir);
        Assert.Equal(Path.Combine("my-runs", "ablations", "g"), grid.ConfigOf(grid.Points()[0]).Output.RunsDir);
        var own = Write(dir, "{ \"name\": \"g\", \"runs_dir\": \"elsewhere\", " + Base + """
            , "axes": [ { "name": "lr", "values": [ { "label": "low", "set": { "optim.base_lr": 0.1 } } ] } ] }
            """);
        Assert.Equal("elsewhere", own.RunsDir);
    }

    [Fact]
    public void ABaseFileMayExtendAnother()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("root.json"), """{ "data": { "kind": "synthetic-images" }, "model": { "branch_a": { "encoder": "resnet18", "expander": "16-16", "base_width": 8 } } }""");
        File.WriteAllText(dir.Combine("base.json"), """{ "extends": "root.json", "optim": { "epochs": 2, "warmup_epochs": 0 } }""");
        var grid = Write(dir, """{ "name": "g", "base_file": "base.json", "axes": [ { "name": "lr", "values": [ { "label": "low", "set": { "optim.base_lr": 0.1 } } ] } ] }""");
        var c = grid.ConfigOf(grid.Points()[0]);
        Assert.Equal((2, 8), (c.Optim.Epochs, c.Model.BranchA.BaseWidth));
    }
}
