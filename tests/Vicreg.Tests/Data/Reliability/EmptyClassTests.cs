using Vicreg.Training.Sources;
using Vicreg.Data;
using Vicreg.Data.Audio;
using Vicreg.Tests.Data.Audio;
using Vicreg.Training.Config;

namespace Vicreg.Tests.Data.Reliability;

/// <summary>Class folders without files: refused by default with one line naming them (as torchvision's ImageFolder
/// does), left out with one warning under data.empty_classes=ignore.</summary>
public class EmptyClassTests
{
    private static DataConfig Config(string kind, string train, string policy = "refuse") =>
        new() { Kind = kind, Train = train, EmptyClasses = policy };

    private static string ImageFolder(TempDir dir)
    {
        SyntheticImages.Generate(dir.Combine("s"), new SyntheticImageOptions(Classes: 2, TrainPerClass: 3, ValPerClass: 1, Size: 16));
        string train = dir.Combine("s", "train");
        // "aa-empty" sorts first, so leaving it out must renumber the labels of the other two.
        Directory.CreateDirectory(Path.Combine(train, "aa-empty"));
        File.WriteAllText(Path.Combine(train, "aa-empty", "notes.txt"), "not an image");
        return train;
    }

    [Fact]
    public void AnEmptyImageClassFolderIsRefusedByDefaultWithOneLine()
    {
        using var dir = new TempDir();
        string train = ImageFolder(dir);
        var ex = Assert.Throws<InvalidDataException>(() => DatasetCatalog.Prepare(new DataRequest(Config("image-folder", train), 0, _ => { }, dir.Combine("index"))));
        Assert.Contains("'aa-empty'", ex.Message);
        Assert.Contains("data.empty_classes=ignore", ex.Message);
        Assert.StartsWith(Path.GetFullPath(train), ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void IgnoreLeavesItOutWithAWarningAndRenumbersTheLabels()
    {
        using var dir = new TempDir();
        string train = ImageFolder(dir);
        for (int run = 0; run < 2; run++) // the second run reads the cached index: same result, same warning
        {
            var lines = new List<string>();
            var sets = DatasetCatalog.Prepare(new DataRequest(Config("image-folder", train, "ignore"), 0, lines.Add, dir.Combine("index")));
            Assert.Equal(new[] { SyntheticImages.ClassFolderName(0), SyntheticImages.ClassFolderName(1) }, sets.Train.Classes);
            Assert.Equal(6, sets.Train.Count);
            Assert.Equal(new[] { 0, 1 }, sets.Train.Select(s => s.Label).Distinct().Order());
            Assert.All(sets.Train, s => Assert.Contains(sets.Train.Classes[s.Label], s.Path));
            Assert.Single(lines, l => l.StartsWith("warning: ") && l.Contains("'aa-empty'") && l.Contains("2 classes remain"));
        }
    }

    [Fact]
    public void AnEmptyAudioClassFolderIsRefusedOrIgnoredTheSameWay()
    {
        using var dir = new TempDir();
        foreach (var cls in new[] { "a", "b" })
            for (int i = 0; i < 5; i++) AudioDatasetTests.WriteTone(dir.Combine("train", cls, $"{i}.wav"), 300 + 50 * i, 0.2);
        Directory.CreateDirectory(dir.Combine("train", "c-empty"));
        var refuse = Assert.Throws<InvalidDataException>(() => DatasetCatalog.Prepare(new DataRequest(Config("audio-folder", dir.Combine("train")), 0, _ => { })));
        Assert.Contains("'c-empty'", refuse.Message);
        Assert.Contains(".wav", refuse.Message);
        var lines = new List<string>();
        var sets = DatasetCatalog.Prepare(new DataRequest(Config("audio-folder", dir.Combine("train"), "ignore"), 0, lines.Add));
        Assert.Equal(new[] { "a", "b" }, sets.Classes);
        Assert.Single(lines, l => l.StartsWith("warning: ") && l.Contains("'c-empty'"));
    }

    [Fact]
    public void AnUnknownPolicyIsOneLineNamingTheField()
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("{}", "t.json", new[] { "data.train=x", "data.empty_classes=drop" }));
        Assert.Contains("data.empty_classes", ex.Message);
        var ex2 = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("{}", "t.json", new[] { "data.train=x", "data.truncated_images=yes" }));
        Assert.Contains("data.truncated_images", ex2.Message);
    }
}
