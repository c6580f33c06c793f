using Vicreg.Core;
using Vicreg.Data;
using Vicreg.Training.Config;

namespace Vicreg.Training.Sources;

/// <summary>The image layouts: an image folder (one subfolder per class, the ImageNet layout), a file list
/// (CSV/TSV of path,label) and the generated shapes of the quickstart. With an index folder, the file index is
/// cached there and rebuilt only when the folder tree or list file changes.</summary>
public static class ImageDatasetKinds
{
    /// <summary>The default data.kind: a folder with one subfolder of images per class (the ImageNet layout).</summary>
    public const string ImageFolder = "image-folder";

    private static readonly string[] Images = { Modalities.Image };

    public static IEnumerable<DatasetKind> All => new[]
    {
        new DatasetKind(ImageFolder, Images,
            (data, require) => require(!string.IsNullOrWhiteSpace(data.Train), "data.train", "is required for kind image-folder (a folder with one subfolder per class)"),
            r => Indexed(r, r.Data.Train!, r.Data.Val, "data.train", "data.val", source => new ImageFolderDataset(source), folders: true))
            { Layout = DataLayout.ClassFolders },
        new DatasetKind("file-list", Images,
            (data, require) => require(!string.IsNullOrWhiteSpace(data.TrainList), "data.train_list", "is required for kind file-list (a CSV/TSV file of path,label rows)"),
            r => Indexed(r, r.Data.TrainList!, r.Data.ValList, "data.train_list", "data.val_list", source => new FileListDataset(source), folders: false))
            { Layout = DataLayout.FileList },
        new DatasetKind("synthetic-images", Images, ValidateSynthetic, Synthetic) { GeneratedClasses = data => data.Synthetic.Classes },
        new DatasetKind("idx", Images,
            (data, require) => require(!string.IsNullOrWhiteSpace(data.Train), "data.train",
                "is required for kind idx (an IDX images file such as train-images-idx3-ubyte.gz; its labels file is found by the MNIST naming)"),
            Idx),
    };

    /// <summary>kind idx: the IDX pair(s) written once as image folders under data/idx/ (see <see cref="IdxFile"/>).</summary>
    private static DataSplits Idx(DataRequest r)
    {
        ISampleSet Open(string images, string field)
        {
            string labels = IdxFile.LabelsFileFor(images);
            string name = Path.GetFileName(images).Replace(".gz", "", StringComparison.Ordinal);
            string folder = Path.Combine("data", "idx", Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(images))) + "-" + name);
            int n = IdxFile.Materialise(images, labels, folder);
            r.Info($"{field}: {n} IDX images from {images} (+ {Path.GetFileName(labels)}) as PNGs in {Path.GetFullPath(folder)}");
            return new ImageFolderDataset(folder);
        }
        var train = Open(r.Data.Train!, "data.train");
        var val = string.IsNullOrWhiteSpace(r.Data.Val) ? null : Open(r.Data.Val, "data.val");
        return DataSplits.FromSeparate(train, val, "data.val", "data.train");
    }

    private static void ValidateSynthetic(DataConfig data, Action<bool, string, string> require)
    {
        var s = data.Synthetic;
        require(s.Classes is >= 2 and <= 10, "data.synthetic.classes", $"must be between 2 and 10; got {s.Classes}");
        require(s.TrainPerClass >= 1, "data.synthetic.train_per_class", "must be ≥ 1");
        require(s.ValPerClass >= 1, "data.synthetic.val_per_class", "must be ≥ 1");
        require(s.Size >= 16, "data.synthetic.size", "must be ≥ 16");
        require(s.JpegQuality is null or (>= 1 and <= 100), "data.synthetic.jpeg_quality", $"must be between 1 and 100, or null for PNG files; got {s.JpegQuality}");
    }

    private static DataSplits Synthetic(DataRequest r)
    {
        var s = r.Data.Synthetic;
        var options = new SyntheticImageOptions(s.Classes, s.TrainPerClass, s.ValPerClass, s.Size, r.Seed, s.Clutter, s.JpegQuality);
        r.Info($"synthetic images: {s.Classes} classes × ({s.TrainPerClass} train + {s.ValPerClass} val), {s.Size}px" +
               (s.JpegQuality is { } q ? $" JPEG files (quality {q})" : "") + $" in {Path.GetFullPath(s.Root)}");
        SyntheticImages.Generate(s.Root, options);
        return new DataSplits(new ImageFolderDataset(Path.Combine(s.Root, "train")), new ImageFolderDataset(Path.Combine(s.Root, "val")));
    }

    /// <param name="folders">Class folders (empty ones are refused or left out, data.empty_classes); a file list's
    /// numeric labels may leave gaps on purpose, so lists are taken as they are.</param>
    private static DataSplits Indexed(DataRequest r, string trainSource, string? valSource, string trainField, string valField, Func<string, ISampleSet> scan, bool folders)
    {
        ISampleSet Open(string source, string part)
        {
            string? cache = r.IndexDir is null ? null : Path.Combine(r.IndexDir, $"{part}.tsv");
            var index = ImageIndex.Cached(cache, source, () => scan(source));
            if (cache is not null)
                r.Info(index.FromCache
                    ? $"{part} index: {index.Count} images in {index.Classes.Count} classes (cached in {cache})"
                    : $"{part} index: {index.Count} images in {index.Classes.Count} classes (built, cached in {cache})");
            return folders ? EmptyClasses.Apply(index, r.Data.EmptyClasses == "ignore", r.Info, "images (.jpg/.jpeg/.png)") : index;
        }
        var train = Open(trainSource, "train");
        var val = string.IsNullOrWhiteSpace(valSource) ? null : Open(valSource, "val");
        return DataSplits.FromSeparate(train, val, valField, trainField);
    }
}
