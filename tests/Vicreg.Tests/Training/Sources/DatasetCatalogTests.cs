using Vicreg.Training.Config;
using Vicreg.Training.Sources;
using Xunit;

namespace Vicreg.Tests.Training.Sources;

public class DatasetCatalogTests
{
    [Fact]
    public void FileListsAreIndexedOnceIntoTheRunFolder()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("train.csv"), "a.jpg,cat\nb.jpg,dog\n");
        File.WriteAllText(dir.Combine("val.tsv"), "c.jpg\tdog\nd.jpg\tcat\n");
        var data = new DataConfig { Kind = "file-list", TrainList = dir.Combine("train.csv"), ValList = dir.Combine("val.tsv") };
        var lines = new List<string>();
        var sets = DatasetCatalog.Prepare(new DataRequest(data, 0, lines.Add, dir.Combine("run", "index")));
        Assert.Equal(2, sets.Train.Count);
        Assert.Equal(new[] { "cat", "dog" }, sets.HeldOut!.Classes);
        Assert.True(File.Exists(dir.Combine("run", "index", "train.tsv")));
        Assert.Contains(lines, l => l.Contains("built"));
        lines.Clear();
        DatasetCatalog.Prepare(new DataRequest(data, 0, lines.Add, dir.Combine("run", "index")));
        Assert.All(lines, l => Assert.DoesNotContain("built", l));
    }
}
