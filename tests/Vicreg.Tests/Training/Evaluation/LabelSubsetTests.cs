using Vicreg.Data;
using Vicreg.Training.Evaluation;

namespace Vicreg.Tests.Training.Evaluation;

public sealed class LabelSubsetTests
{
    private static ImageFolderDataset Folder(TempDir temp, int perClass)
    {
        foreach (var cls in new[] { "n01", "n02", "n03" })
            for (int i = 0; i < perClass; i++)
                TestImagesFile(temp.Combine("train", cls, $"{cls}_{i}.png"));
        return new ImageFolderDataset(temp.Combine("train"));
    }

    private static void TestImagesFile(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var image = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(4, 4);
        SixLabors.ImageSharp.ImageExtensions.SaveAsPng(image, path);
    }

    [Fact]
    public void Subsets_are_per_class_deterministic_and_seed_dependent()
    {
        using var temp = new TempDir();
        var train = Folder(temp, 40);
        var ten = LabelSubset.Select(train, 10, seed: 0);
        Assert.Equal(12, ten.Count);
        Assert.All(train.Classes.Select((_, c) => c), c => Assert.Equal(4, ten.Count(i => train[i].Label == c)));
        Assert.Equal(ten, LabelSubset.Select(train, 10, seed: 0));
        Assert.NotEqual(ten, LabelSubset.Select(train, 10, seed: 1));
        var one = LabelSubset.Select(train, 1, seed: 0);
        Assert.Equal(3, one.Count); // at least one image per class
    }

    [Fact]
    public void Lists_round_trip_and_simclr_style_names_are_read()
    {
        using var temp = new TempDir();
        var train = Folder(temp, 5);
        var subset = LabelSubset.Select(train, 40, seed: 2);
        string list = temp.Combine("subset.txt");
        LabelSubset.Write(list, train, subset);
        Assert.Equal(subset, LabelSubset.Read(list, train));
        File.WriteAllLines(list, new[] { "n02_3.png", "n01_0.png" }); // SimCLR's 1percent.txt names files only
        var read = LabelSubset.Read(list, train);
        Assert.Equal(new[] { "n01_0.png", "n02_3.png" }, read.Select(i => Path.GetFileName(train[i].Path)));
        File.WriteAllLines(list, new[] { "n09_1.png" });
        var e = Assert.Throws<InvalidDataException>(() => LabelSubset.Read(list, train));
        Assert.StartsWith($"{list}:1: \"n09_1.png\" is not an image of the training set", e.Message);
    }
}
