using Vicreg.Tooling.Ablations;
using Vicreg.Training.Config;

namespace Vicreg.Tests.Tooling.Ablations;

/// <summary>Every grid in experiments/ablations loads, and each of its points is either a valid experiment or
/// refused for a reason the paper gives (BYOL without shared weights).</summary>
public class AblationPresetTests
{
    static string RepoDir(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Vicreg.Multimodal.sln"))) dir = dir.Parent;
        return Path.Combine(dir!.FullName, relative);
    }

    /// <summary>Grid files have axes; the other files there (bases, single experiments such as
    /// da-two-resolutions.json) are experiment configs.</summary>
    private static bool IsGrid(string file) => File.ReadAllText(file).Contains("\"axes\"", StringComparison.Ordinal);

    private static IEnumerable<object[]> Files(bool grids) =>
        Directory.GetFiles(RepoDir("experiments/ablations"), "*.json", SearchOption.AllDirectories)
            .Where(f => IsGrid(f) == grids)
            .Select(f => new object[] { Path.GetRelativePath(RepoDir("."), f) });

    public static IEnumerable<object[]> Grids() => Files(grids: true);

    public static IEnumerable<object[]> Experiments() => Files(grids: false);

    [Theory]
    [MemberData(nameof(Experiments))]
    public void EveryExperimentFileLoads(string file)
    {
        var c = ConfigLoader.LoadFile(RepoDir(file));
        // What it resolves to reads back as the same experiment (the run folder's config.json relies on it).
        var again = ConfigLoader.Parse(ConfigLoader.Serialize(c), file + " (resolved)");
        Assert.Equal(ConfigHash.OfTraining(c), ConfigHash.OfTraining(again));
        Assert.Equal(ConfigLoader.Serialize(c), ConfigLoader.Serialize(again));
    }

    [Theory]
    [MemberData(nameof(Grids))]
    public void EveryPointIsValidOrRefusedForByolWithoutSharedWeights(string file)
    {
        var grid = AblationGrid.Load(RepoDir(file));
        foreach (var point in grid.Points())
        {
            try
            {
                var c = grid.ConfigOf(point);
                Assert.StartsWith(grid.Name + "-", c.Name);
            }
            catch (ConfigException e)
            {
                Assert.True(e.Field == "model.shared" && point.Key.StartsWith("BYOL", StringComparison.Ordinal), $"{file} [{point.Key}]: {e.Message}");
            }
        }
    }

    /// <summary>The tiny grids test the paper's orderings with intervals (issue 19): three seeds per point and at
    /// least 1,000 held-out images, Table 5 with a SwAV row, Table 7 with the collapsed μ = 0 settings.</summary>
    [Theory]
    [InlineData("experiments/ablations/tiny-table5.json", "method", "VICReg|Barlow Twins|SwAV|BYOL")]
    [InlineData("experiments/ablations/tiny-table7.json", "(λ, μ, ν)", "(25, 25, 1)|(5, 5, 1)|(1, 1, 0)|(25, 0, 1)|(1, 0, 0)")]
    public void TinyGridsRunThreeSeedsOnAThousandHeldOutImages(string file, string rows, string labels)
    {
        var grid = AblationGrid.Load(RepoDir(file));
        Assert.True(grid.HasSeeds);
        Assert.True(grid.Axes[^1].Values.Count >= 3, $"{file}: {grid.Axes[^1].Values.Count} seeds");
        Assert.Equal(rows, grid.Axes[0].Name);
        Assert.Equal(labels.Split('|'), grid.Axes[0].Values.Select(v => v.Label));
        var c = grid.ConfigOf(grid.Points()[0]);
        Assert.True(c.Data.Synthetic.Classes * c.Data.Synthetic.ValPerClass >= 1000);
        Assert.Equal(Enumerable.Range(0, grid.Axes[^1].Values.Count).Select(s => (long)s),
            grid.Points().Take(grid.Axes[^1].Values.Count).Select(p => (long)grid.ConfigOf(p).Seed));
    }

    [Fact]
    public void PaperScalePresetsCoverTheTablesTheIssueNames()
    {
        foreach (var table in new[] { 4, 5, 7, 8, 12, 13 })
        {
            var grid = AblationGrid.Load(RepoDir($"experiments/ablations/imagenet/table{table}.json"));
            var c = grid.ConfigOf(grid.Points().First(p => !p.Key.StartsWith("BYOL", StringComparison.Ordinal) || table == 4));
            Assert.Equal(100, c.Optim.Epochs);
            Assert.Equal("resnet50", c.Model.BranchA.Encoder);
        }
    }

    [Theory]
    [InlineData(4, "2048-128")]
    [InlineData(5, "8192-8192-8192")]
    public void TheSwavRowsCarryTheOfficialSmallBatchRecipe(int table, string expander)
    {
        var grid = AblationGrid.Load(RepoDir($"experiments/ablations/imagenet/table{table}.json"));
        var c = grid.ConfigOf(grid.Points().First(p => p.Key.StartsWith("SwAV", StringComparison.Ordinal)));
        var swav = Assert.IsType<Vicreg.Training.Methods.SwavOptions>(c.Method.Options);
        Assert.Equal((3000, 0.05, 3, 0.1, 3840, 15, 1), (swav.Prototypes, swav.Epsilon, swav.SinkhornIterations, swav.Temperature,
            swav.QueueLength, swav.QueueStartEpoch, swav.FreezePrototypesEpochs));
        Assert.Equal((256, 0.6, 0), (c.Optim.BatchSize, c.Optim.BaseLr, c.Optim.WarmupEpochs));
        Assert.Equal(expander, c.Model.BranchA.Expander);
        var view = Assert.IsType<Vicreg.Training.Sources.ImageViewOptions>(c.Model.BranchA.View);
        Assert.Equal((224, 0.14), (c.Data.ImageSize, view.CropScaleMin));
        var local = Assert.Single(view.LocalCrops!);
        Assert.Equal((6, 96, 0.05, 0.14), (local.Count, local.Size, local.ScaleMin, local.ScaleMax));
    }
}
