using Vicreg.Core;
using System.Globalization;
using CsvHelper;

namespace Vicreg.Data.Paired;

/// <summary>
/// A CSV of image–sound pairs: a header with the columns <c>image,audio</c> and optionally <c>label</c> and
/// <c>fold</c>, one pair a row (a video frame and its soundtrack). Relative paths are relative to the CSV's folder.
/// Labels are class names, indexed in ordinal order; they are needed only by the probes, so without a label column
/// every pair is in the one class "unlabelled". A malformed row is refused as <c>file:line: problem</c>. Whether the
/// files decode is checked when they are read, not here: a pair with a missing or unreadable file is skipped then,
/// with one line naming both files.
/// </summary>
public static class PairedManifest
{
    /// <summary>The class of every pair in a manifest without a label column.</summary>
    public const string Unlabelled = "unlabelled";

    public static SampleSet Load(string csvPath)
    {
        // The columns are named after the modalities, as a pair's files are keyed.
        var table = ManifestTable.Read(csvPath, [Modalities.Image, Modalities.Audio], "image,audio[,label][,fold]");
        string source = table.File;
        var rows = table.Rows.Select(r => (Image: r.PathOf(Modalities.Image), Audio: r.PathOf(Modalities.Audio),
            Label: table.Has("label") ? r.Text("label") : Unlabelled, Fold: r.Integer("fold"))).ToList();
        if (!rows.Any(r => File.Exists(r.Image) && File.Exists(r.Audio)))
            throw new InvalidDataException($"{source}: none of the {rows.Count} listed pairs has both files (first: {rows[0].Image} + {rows[0].Audio}); are the paths relative to the CSV's folder?");

        var classes = SampleSet.SortedClasses(rows.Select(r => r.Label));
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var samples = rows.Select(r => Pair(r.Image, r.Audio, index[r.Label], r.Fold)).ToList();
        return new SampleSet(samples, classes, source);
    }

    /// <summary>A sample of an image and a sound; its <see cref="Sample.Path"/> is the image (the split order).</summary>
    public static Sample Pair(string image, string audio, int label, int fold = 0) =>
        new(image, label, fold) { Files = new Dictionary<string, string> { [Modalities.Image] = image, [Modalities.Audio] = audio } };

    /// <summary>Writes <paramref name="pairs"/> as a manifest with a label column, paths relative to the CSV's folder.</summary>
    public static void Write(string csvPath, IEnumerable<(string Image, string Audio, string Label)> pairs)
    {
        string baseDir = Path.GetDirectoryName(Path.GetFullPath(csvPath))!;
        using var writer = new StreamWriter(csvPath);
        using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
        foreach (var field in new[] { Modalities.Image, Modalities.Audio, "label" }) csv.WriteField(field);
        csv.NextRecord();
        foreach (var (img, snd, lbl) in pairs)
        {
            csv.WriteField(Path.GetRelativePath(baseDir, img).Replace('\\', '/'));
            csv.WriteField(Path.GetRelativePath(baseDir, snd).Replace('\\', '/'));
            csv.WriteField(lbl);
            csv.NextRecord();
        }
    }
}
