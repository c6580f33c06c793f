using Vicreg.Core;
using Vicreg.Training.Config;
using Vicreg.Training.Sources;

namespace Vicreg.Tests.Training.Sources;

/// <summary>What dataset kinds declare of themselves (generated data and its class count, the layout of their files),
/// which the export, the ablation report, the path check and vicreg init ask for instead of naming kinds.</summary>
public class DatasetKindCapabilityTests
{
    [Fact]
    public void The_generated_kinds_declare_their_class_count_and_need_no_paths()
    {
        var generated = DatasetCatalog.All.Where(k => k.GeneratedClasses is not null).Select(k => k.Name).ToList();
        Assert.Equal(new[] { "synthetic-images", "synthetic-audio", "synthetic-paired" }, generated.Take(3));
        Assert.Equal("synthetic-images", DatasetCatalog.GeneratedOf(Modalities.Image)!.Name);
        Assert.Equal("synthetic-audio", DatasetCatalog.GeneratedOf(Modalities.Audio)!.Name);
        Assert.Null(DatasetCatalog.GeneratedOf("no-such-modality"));

        var c = ConfigLoader.Parse("{}", "k.json", new[] { "data.kind=synthetic-audio", "data.audio.synthetic.classes=4", "data.train=/no/such/folder",
            "model.branch_a.encoder=resnet1d18" });
        Assert.Equal(4, DatasetCatalog.Get(c.Data.Kind).GeneratedClasses!(c.Data));
        Assert.Empty(DataPaths.Given(c.Data)); // a generated kind reads no path, so a leftover data.train is not checked
        Assert.Equal("data.train", Assert.Single(DataPaths.Given(c.Data with { Kind = "audio-folder" })).Field);
    }

    [Fact]
    public void The_folder_and_list_kinds_of_each_modality_are_found_by_their_layout()
    {
        Assert.Equal("image-folder", DatasetCatalog.WithLayout(Modalities.Image, DataLayout.ClassFolders)!.Name);
        Assert.Equal("file-list", DatasetCatalog.WithLayout(Modalities.Image, DataLayout.FileList)!.Name);
        Assert.Equal("audio-folder", DatasetCatalog.WithLayout(Modalities.Audio, DataLayout.ClassFolders)!.Name);
        Assert.Equal("audio-manifest", DatasetCatalog.WithLayout(Modalities.Audio, DataLayout.FileList)!.Name);
    }
}
