using Vicreg.Data;

namespace Vicreg.Tests.Data;

/// <summary>Twelve generated 20-px shapes in three classes (train/, seed 3) in a folder of their own: the data of the
/// pipeline tests (two-view batches, multi-crop, rank shards).</summary>
internal sealed class SmallImageFolder : IDisposable
{
    public SmallImageFolder()
    {
        SyntheticImages.Generate(Dir.Path, new SyntheticImageOptions(Classes: 3, TrainPerClass: 4, ValPerClass: 1, Size: 20, Seed: 3));
        Train = new ImageFolderDataset(Path.Combine(Dir.Path, "train"));
    }

    public TempDir Dir { get; } = new();
    public ImageFolderDataset Train { get; }

    public void Dispose() => Dir.Dispose();
}
