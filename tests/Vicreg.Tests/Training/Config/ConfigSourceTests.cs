using Vicreg.Training.Config;
using Vicreg.Training.Sources;

namespace Vicreg.Tests.Training.Config;

/// <summary>Errors name the source the user has to edit: the --set that gave the field, the file, or the file it
/// extends; data paths are checked by field before any index is built; a misspelt encoder gets "did you mean".</summary>
public class ConfigSourceTests
{
    private const string Valid = """{ "data": { "kind": "synthetic-images" }, "optim": { "epochs": 3, "warmup_epochs": 1 } }""";

    [Fact]
    public void ASetMistakeIsReportedAsComingFromTheSet()
    {
        using var dir = new TempDir();
        string file = dir.Combine("clipart.json");
        File.WriteAllText(file, Valid);
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile(file, new[] { "optim.epoch=5" }));
        Assert.Equal("--set optim.epoch=5: optim.epoch: unknown field; did you mean epochs?", e.Message);
        // A range problem of a --set value too; and a mistake in the file still names the file.
        var range = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile(file, new[] { "optim.batch_size=1" }));
        Assert.StartsWith("--set optim.batch_size=1: optim.batch_size: must be ≥ 2", range.Message);
        File.WriteAllText(file, """{ "data": { "kind": "synthetic-images" }, "optim": { "epoch": 3 } }""");
        var inFile = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile(file, new[] { "optim.batch_size=16" }));
        Assert.Equal($"{file}: optim.epoch: unknown field; did you mean epochs?", inFile.Message);
    }

    [Fact]
    public void AMissingDataFolderNamesItsFieldAndTheNearestName()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine("train", "a"));
        var c = ConfigLoader.Parse("{}", "my.json", new[] { "data.kind=image-folder", $"data.train={dir.Combine("trian")}" });
        var e = Assert.Throws<InvalidDataException>(() => DatasetCatalog.Prepare(new DataRequest(c.Data, 0, _ => { })));
        Assert.Equal($"data.train: no such file or folder: {dir.Combine("trian")}; did you mean {dir.Combine("train")}?", e.Message);
    }

    [Fact]
    public void AWrongValIsCaughtBeforeTheTrainingIndexIsBuilt()
    {
        using var dir = new TempDir();
        for (int k = 0; k < 2; k++)
        {
            string folder = dir.Combine("train", $"c{k}");
            Directory.CreateDirectory(folder);
            using var image = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(8, 8);
            SixLabors.ImageSharp.ImageExtensions.SaveAsPng(image, Path.Combine(folder, "x.png"));
        }
        string index = dir.Combine("index");
        Directory.CreateDirectory(index);
        var c = ConfigLoader.Parse("{}", "my.json", new[] { "data.kind=image-folder", $"data.train={dir.Combine("train")}", $"data.val={dir.Combine("vall")}" });
        var lines = new List<string>();
        var e = Assert.Throws<InvalidDataException>(() => DatasetCatalog.Prepare(new DataRequest(c.Data, 0, lines.Add, index)));
        Assert.StartsWith("data.val: no such file or folder: ", e.Message);
        Assert.Empty(Directory.GetFiles(index)); // no train index was built (or cached) first
        Assert.DoesNotContain(lines, l => l.Contains("train index"));
    }

    [Fact]
    public void AnEncoderTypoGetsDidYouMean()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("{}", "my.json", new[] { "data.kind=synthetic-images", "model.branch_a.encoder=resnt18" }));
        Assert.Equal("--set model.branch_a.encoder=resnt18: model.branch_a.encoder: unknown encoder \"resnt18\"; did you mean resnet18?", e.Message);
    }

    [Fact]
    public void ExtendsMergesDeepRelativeToTheFile()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine("cfg"));
        File.WriteAllText(dir.Combine("base.json"), """
            { "name": "base", "data": { "kind": "synthetic-images", "image_size": 24, "synthetic": { "classes": 4 } },
              "model": { "branch_a": { "encoder": "resnet18", "base_width": 8, "expander": "64-64" } },
              "optim": { "batch_size": 32, "epochs": 7, "warmup_epochs": 1 } }
            """);
        File.WriteAllText(dir.Combine("cfg", "mine.json"), """
            // only what differs from the base
            { "extends": "../base.json", "name": "mine", "data": { "synthetic": { "train_per_class": 9 } }, "optim": { "epochs": 3 } }
            """);
        var c = ConfigLoader.LoadFile(dir.Combine("cfg", "mine.json"));
        Assert.Equal("mine", c.Name);
        Assert.Equal((24, 4, 9), (c.Data.ImageSize, c.Data.Synthetic.Classes, c.Data.Synthetic.TrainPerClass));
        Assert.Equal((32, 3, 1), (c.Optim.BatchSize, c.Optim.Epochs, c.Optim.WarmupEpochs));
        Assert.Equal(("resnet18", 8), (c.Model.BranchA.Encoder, c.Model.BranchA.BaseWidth));
        Assert.DoesNotContain("extends", ConfigLoader.Serialize(c));
    }

    [Fact]
    public void ExtendsErrorsNameTheFileThatGaveTheField()
    {
        using var dir = new TempDir();
        string baseFile = dir.Combine("base.json"), child = dir.Combine("child.json");
        File.WriteAllText(baseFile, """{ "data": { "kind": "synthetic-images" }, "optim": { "batchsize": 32 } }""");
        File.WriteAllText(child, """{ "extends": "base.json", "optim": { "epochs": 3 } }""");
        var inBase = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile(child));
        Assert.Equal($"{Path.GetFullPath(baseFile)}: optim.batchsize: unknown field; did you mean batch_size?", inBase.Message);

        File.WriteAllText(baseFile, Valid);
        File.WriteAllText(child, """{ "extends": "base.json", "model": { "branch_a": { "encodr": "resnet18" } } }""");
        var inChild = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile(child));
        Assert.Equal($"{child}: model.branch_a.encodr: unknown field; did you mean encoder?", inChild.Message);

        File.WriteAllText(child, """{ "extends": "bse.json" }""");
        Assert.StartsWith($"{child}: extends: no such file: ", Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile(child)).Message);
        File.WriteAllText(baseFile, """{ "extends": "child.json" }""");
        File.WriteAllText(child, """{ "extends": "base.json" }""");
        Assert.Contains("extends this file again", Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile(child)).Message);
    }
}
