using System.Globalization;
using Vicreg.Data;
using Vicreg.Data.Views;
using Vicreg.Training.Config;
using Vicreg.Training.Evaluation;
using Vicreg.Training.Interop;
using Vicreg.Training.Model;
using Vicreg.Training.Sources;
using static TorchSharp.torch;

namespace Vicreg.Runs.Evaluation;

/// <summary>What <see cref="EmbedJob.Run"/> wrote.</summary>
public sealed record EmbedResult(string EmbeddingsPath, string IndexPath, int Rows, int Dim, int Listed, int Skipped);

/// <summary>
/// The embeddings of every file of a folder or list, through one branch of a trained run: each file is read by the
/// branch's reader and centred by its evaluation view, exactly as the linear probe and kNN read their samples (the same
/// <see cref="FeatureExtractor"/>), then encoded. Writes embeddings.npy [rows, D] (float32) and index.csv (file, label,
/// row). A file that cannot be read is skipped with one line and counted; the rest go on.
/// </summary>
public static class EmbedJob
{
    public const string EmbeddingsFile = "embeddings.npy";
    public const string IndexFile = "index.csv";

    /// <param name="data">A class-folder root (one subfolder per class), a folder of files (no labels), or a CSV with a
    /// path column and optionally a label column.</param>
    /// <param name="expander">Write the expander's output (what the loss compares) instead of the representation.</param>
    public static EmbedResult Run(ExperimentConfig c, Branch branch, BranchSide side, string data, string outDir, bool expander,
        Device device, Action<string> info, IProgress<double>? progress = null)
    {
        var recipe = ModalityCatalog.RecipeFor(c, side);
        var samples = List(data, recipe.Modality, info);
        using var readers = new SampleReaders(c.Data, info);
        var input = BranchInput.Create(readers.For(recipe.Modality, samples.Samples), recipe);
        using var features = expander
            ? FeatureExtractor.ExtractEmbeddings(branch, samples.Samples, input, device, progress: progress)
            : FeatureExtractor.Extract(branch.Encoder, samples.Samples, input, device, progress: progress);
        Directory.CreateDirectory(outDir);
        string npy = Path.Combine(outDir, EmbeddingsFile), index = Path.Combine(outDir, IndexFile);
        using (var flat = features.Features.contiguous())
            NpyFile.WriteFloat32(npy, flat.data<float>().ToArray(), flat.shape);
        var rows = features.Rows ?? Enumerable.Range(0, features.Count).Select(i => (long)i).ToArray();
        using (var w = new StreamWriter(index))
        {
            w.WriteLine("file,label,row");
            for (int r = 0; r < rows.Length; r++)
            {
                var s = samples.Samples[(int)rows[r]];
                string label = s.Label >= 0 && s.Label < samples.Classes.Count ? samples.Classes[s.Label] : "";
                w.WriteLine($"{Csv(s.FileFor(recipe.Modality))},{Csv(label)},{r.ToString(CultureInfo.InvariantCulture)}");
            }
        }
        return new EmbedResult(npy, index, features.Count, features.Dim, samples.Count, samples.Count - features.Count);
    }

    /// <summary>The files to embed: class folders, a flat folder (unlabelled, label −1) or a CSV (path[,label]).</summary>
    public static SampleSet List(string data, string modality, Action<string> info)
    {
        var entry = ModalityCatalog.Get(modality);
        var extensions = entry.FileExtensions;
        if (File.Exists(data))
        {
            var table = ManifestTable.Read(data, ["path"], "path[,label]");
            var labelled = table.Rows.Select(r => (Path: r.PathOf("path"), Label: r.Optional("label") ?? "")).ToList();
            var classes = SampleSet.SortedClasses(labelled.Where(r => r.Label != "").Select(r => r.Label));
            var ids = classes.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
            var listed = labelled.Select(r => new Sample(r.Path, r.Label == "" ? -1 : ids[r.Label]));
            return new SampleSet(ListedFiles.Existing(listed, table.File, info), classes, table.File);
        }
        if (!Directory.Exists(data)) throw new DirectoryNotFoundException($"--data {data}: no such folder or CSV file");
        if (Directory.EnumerateDirectories(data).Any()) return ClassFolders.Scan(data, entry.Title, extensions);
        var files = Directory.EnumerateFiles(data).Where(f => extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal).Select(f => new Sample(Path.GetFullPath(f), -1)).ToList();
        if (files.Count == 0) throw new InvalidDataException($"--data {data}: no {string.Join("/", extensions)} files in the folder");
        return new SampleSet(files, Array.Empty<string>(), Path.GetFullPath(data));
    }

    private static string Csv(string field) => field.IndexOfAny(new[] { ',', '"', '\n' }) >= 0 ? $"\"{field.Replace("\"", "\"\"")}\"" : field;
}
