using Vicreg.Training.Config;
using Vicreg.Training.Jobs;
using Xunit;

namespace Vicreg.Tests.Training;

public class ImageDataSetsTests
{
    [Fact]
    public void FileListsAreIndexedOnceIntoTheRunFolder()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("train.csv"), "a.jpg,cat\nb.jpg,dog\n");
        File.WriteAllText(dir.Combine("val.tsv"), "c.jpg\tdog\nd.jpg\tcat\n");
        var data = new DataConfig { Kind = "file-list", TrainList = dir.Combine("train.csv"), ValList = dir.Combine("val.tsv") };
        var lines = new List<string>();
        var sets = ImageDataSets.Prepare(data, 0, lines.Add, dir.Combine("run", "index"));
        Assert.Equal(2, sets.Train.Count);
        Assert.Equal(new[] { "cat", "dog" }, sets.Val!.Classes);
        Assert.True(File.Exists(dir.Combine("run", "index", "train.tsv")));
        Assert.Contains(lines, l => l.Contains("built"));
        lines.Clear();
        ImageDataSets.Prepare(data, 0, lines.Add, dir.Combine("run", "index"));
        Assert.All(lines, l => Assert.DoesNotContain("built", l));
    }
}
