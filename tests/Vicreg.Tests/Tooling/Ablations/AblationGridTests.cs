using System.Text.Json.Nodes;
using Vicreg.Training;
using Vicreg.Tooling.Ablations;
using Vicreg.Training.Config;

namespace Vicreg.Tests.Tooling.Ablations;

/// <summary>Grid files: the cartesian product of the axes, their overrides, and clear errors.</summary>
public class AblationGridTests
{
    const string Base = """
        "base": { "data": { "kind": "synthetic-images" },
                  "model": { "branch_a": { "encoder": "resnet18", "expander": "16-16", "base_width": 8 } } }
        """;

    static AblationGrid Write(TempDir dir, string body)
    {
        var path = Path.Combine(dir.Path, "grid.json");
        File.WriteAllText(path, body);
        return AblationGrid.Load(path);
    }

    [Fact]
    public void PointsAreTheProductOfTheAxesFirstAxisOutermost()
    {
        using var dir = new TempDir();
        var grid = Write(dir, "{ \"name\": \"g\", " + Base + """
            , "axes": [
              { "name": "method", "values": [ { "label": "VICReg", "set": { "method.name": "vicreg" } },
                                               { "label": "SimCLR", "set": { "method.name": "simclr", "method.temperature": 0.2 } } ] },
              { "name": "setting", "values": [ { "label": "SW", "set": { "model.shared": true } },
                                                { "label": "DW", "set": { "model.shared": false } },
                                                { "label": "DA", "set": { "model.shared": false, "model.branch_b": { "encoder": "resnet34", "expander": "16-16" } } } ] } ] }
            """);
        var points = grid.Points();
        Assert.Equal(new[] { "VICReg / SW", "VICReg / DW", "VICReg / DA", "SimCLR / SW", "SimCLR / DW", "SimCLR / DA" }, points.Select(p => p.Key));
        var c = grid.ConfigOf(points[5]);
        Assert.Equal("simclr", c.Method.Name);
        Assert.Equal(0.2, Assert.IsType<Vicreg.Training.Methods.SimClrOptions>(c.Method.Options).Temperature);
        Assert.False(c.Model.Shared);
        Assert.Equal("resnet34", c.Model.BranchB!.Encoder);
        Assert.Equal("g-simclr-da", c.Name);
        Assert.True(c.Eval.LinearProbe);
        Assert.Equal(Path.Combine("runs", "ablations", "g"), c.Output.RunsDir);
    }

    [Fact]
    public void AnImpossiblePointThrowsAConfigErrorNamingTheField()
    {
        using var dir = new TempDir();
        var grid = Write(dir, "{ \"name\": \"g\", " + Base + """
            , "axes": [ { "name": "method", "values": [ { "label": "BYOL", "set": { "method.name": "byol", "model.branch_a.predictor": "32-16" } } ] },
                        { "name": "setting", "values": [ { "label": "DW", "set": { "model.shared": false } } ] } ] }
            """);
        var e = Assert.Throws<ConfigException>(() => grid.ConfigOf(grid.Points()[0]));
        Assert.Equal("model.shared", e.Field);
        Assert.Contains("[BYOL / DW]", e.Message);
    }

    [Fact]
    public void AGridLevelSetChangesTheBaseForEveryPointAndAPointCanOverrideIt()
    {
        using var dir = new TempDir();
        var grid = Write(dir, "{ \"name\": \"g\", " + Base + """
            , "set": { "optim.epochs": 12, "loss.std": 5 },
              "axes": [ { "name": "c", "values": [ { "label": "a", "set": {} }, { "label": "b", "set": { "loss.std": 1 } } ] } ] }
            """);
        var (a, b) = (grid.ConfigOf(grid.Points()[0]), grid.ConfigOf(grid.Points()[1]));
        Assert.Equal((12, 12), (a.Optim.Epochs, b.Optim.Epochs));
        Assert.Equal((5.0, 1.0), (a.Loss.Std, b.Loss.Std));
        Assert.Equal(new[] { "a", "b" }, grid.Points().Select(p => p.Key));
    }

    [Theory]
    [InlineData("{ \"base\": {}, \"set\": [], \"axes\": [ { \"name\": \"a\", \"values\": [ { \"label\": \"x\" } ] } ] }", "set")]
    [InlineData("{ \"axes\": [] }", "base")]
    [InlineData("{ \"base\": {}, \"axes\": [] }", "axes")]
    [InlineData("{ \"base\": {}, \"axis\": [] }", "axis")]
    [InlineData("{ \"base\": {}, \"axes\": [ { \"values\": [] } ] }", "axes[0].name")]
    [InlineData("{ \"base\": {}, \"axes\": [ { \"name\": \"a\", \"values\": [ { \"label\": \"x\" }, { \"label\": \"x\" } ] } ] }", "axes[0].values")]
    [InlineData("{ \"base_file\": \"missing.json\", \"axes\": [ { \"name\": \"a\", \"values\": [ { \"label\": \"x\" } ] } ] }", "base_file")]
    public void BadGridFilesNameTheField(string json, string field)
    {
        using var dir = new TempDir();
        var e = Assert.Throws<ConfigException>(() => Write(dir, json));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void AHeaderWithCommasInAnAxisNameHasOneColumnPerField()
    {
        Assert.Equal("point,\"(λ, μ, ν)\",seed,status,linear_top1,knn_top1,collapse,mean_std,rankme,seconds,run,random_init_top1,classes",
            AblationResult.Header(new[] { "(λ, μ, ν)", "seed" }));
    }

    [Fact]
    public void ResultRowsRoundTripThroughCsvWithCommasInLabels()
    {
        var r = new AblationResult("(25, 25, 1)", new[] { "(25, 25, 1)" }, "refused: model.shared: x, y", double.NaN, 12.5, "none", 0.4, 7.5, 3, "runs/x");
        var back = AblationResult.Parse(r.ToCsv(), 1)!;
        Assert.Equal(r.Point, back.Point);
        Assert.Equal(r.Status, back.Status);
        Assert.True(double.IsNaN(back.LinearTop1));
        Assert.Equal(12.5, back.KnnTop1);
        Assert.True(back.IsRefused);
    }
}
