using Vicreg.Data;
using Vicreg.Training.Config;

namespace Vicreg.Training.Jobs;

/// <summary>The train and (optional) held-out image sets a data config points at, generating the
/// synthetic set first when that is what the config asks for.</summary>
public sealed record ImageDataSets(ImageFolderDataset Train, ImageFolderDataset? Val)
{
    public static ImageDataSets Prepare(DataConfig data, int seed, Action<string> info)
    {
        if (data.Kind == "synthetic-images")
        {
            var s = data.Synthetic;
            var options = new SyntheticImageOptions(s.Classes, s.TrainPerClass, s.ValPerClass, s.Size, seed);
            info($"synthetic images: {s.Classes} classes × ({s.TrainPerClass} train + {s.ValPerClass} val), {s.Size}px in {Path.GetFullPath(s.Root)}");
            SyntheticImages.Generate(s.Root, options);
            return new ImageDataSets(new ImageFolderDataset(Path.Combine(s.Root, "train")), new ImageFolderDataset(Path.Combine(s.Root, "val")));
        }
        var train = new ImageFolderDataset(data.Train!);
        var val = string.IsNullOrWhiteSpace(data.Val) ? null : new ImageFolderDataset(data.Val);
        if (val is not null && !val.Classes.SequenceEqual(train.Classes))
            throw new InvalidDataException($"data.val ({data.Val}) has classes that differ from data.train ({data.Train}); linear evaluation needs the same class folders");
        return new ImageDataSets(train, val);
    }
}
