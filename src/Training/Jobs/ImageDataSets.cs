using Vicreg.Data;
using Vicreg.Training.Config;

namespace Vicreg.Training.Jobs;

/// <summary>The train and (optional) held-out image sets a data config points at, generating the
/// synthetic set first when that is what the config asks for. With an index folder (the run's), the
/// file index is cached there and rebuilt only when the folder tree or list file changes.</summary>
public sealed record ImageDataSets(IImageSet Train, IImageSet? Val)
{
    public static ImageDataSets Prepare(DataConfig data, int seed, Action<string> info, string? indexDir = null)
    {
        if (data.Kind == "synthetic-images")
        {
            var s = data.Synthetic;
            var options = new SyntheticImageOptions(s.Classes, s.TrainPerClass, s.ValPerClass, s.Size, seed, s.Clutter);
            info($"synthetic images: {s.Classes} classes × ({s.TrainPerClass} train + {s.ValPerClass} val), {s.Size}px in {Path.GetFullPath(s.Root)}");
            SyntheticImages.Generate(s.Root, options);
            return new ImageDataSets(new ImageFolderDataset(Path.Combine(s.Root, "train")), new ImageFolderDataset(Path.Combine(s.Root, "val")));
        }
        if (data.Kind == "idx") return Idx(data, info);
        bool lists = data.Kind == "file-list";
        string trainSource = lists ? data.TrainList! : data.Train!;
        string? valSource = lists ? data.ValList : data.Val;
        string trainField = lists ? "data.train_list" : "data.train", valField = lists ? "data.val_list" : "data.val";
        IImageSet Open(string source, string part)
        {
            string? cache = indexDir is null ? null : Path.Combine(indexDir, $"{part}.tsv");
            var index = ImageIndex.Cached(cache, source, () => lists ? new FileListDataset(source) : new ImageFolderDataset(source));
            if (cache is not null)
                info(index.FromCache
                    ? $"{part} index: {index.Count} images in {index.Classes.Count} classes (cached in {cache})"
                    : $"{part} index: {index.Count} images in {index.Classes.Count} classes (built, cached in {cache})");
            return index;
        }
        var train = Open(trainSource, "train");
        var val = string.IsNullOrWhiteSpace(valSource) ? null : Open(valSource, "val");
        if (val is not null && !val.Classes.SequenceEqual(train.Classes))
            throw new InvalidDataException($"{valField} ({valSource}) has classes that differ from {trainField} ({trainSource}); linear evaluation needs the same classes");
        return new ImageDataSets(train, val);
    }

    /// <summary>kind idx: the IDX pair(s) written once as image folders under data/idx/ (see <see cref="IdxFile"/>).</summary>
    static ImageDataSets Idx(DataConfig data, Action<string> info)
    {
        IImageSet Open(string images, string field)
        {
            string labels = IdxFile.LabelsFileFor(images);
            string name = Path.GetFileName(images).Replace(".gz", "", StringComparison.Ordinal);
            string folder = Path.Combine("data", "idx", Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(images))) + "-" + name);
            int n = IdxFile.Materialise(images, labels, folder);
            info($"{field}: {n} IDX images from {images} (+ {Path.GetFileName(labels)}) as PNGs in {Path.GetFullPath(folder)}");
            return new ImageFolderDataset(folder);
        }
        var train = Open(data.Train!, "data.train");
        var val = string.IsNullOrWhiteSpace(data.Val) ? null : Open(data.Val, "data.val");
        if (val is not null && !val.Classes.SequenceEqual(train.Classes))
            throw new InvalidDataException($"data.val ({data.Val}) has classes that differ from data.train ({data.Train}); linear evaluation needs the same classes");
        return new ImageDataSets(train, val);
    }
}
