namespace Vicreg.Data.Audio;

/// <summary>
/// A CSV manifest with a header and the columns <c>path,label</c> (and optionally <c>fold</c>), read by <see cref="ManifestTable"/>. Relative
/// paths are relative to the manifest's folder. Labels are class names, indexed in ordinal order.
/// </summary>
public static class AudioManifest
{
    public static SampleSet Load(string csvPath, Action<string>? log = null)
    {
        var table = ManifestTable.Read(csvPath, ["path", "label"], "path,label[,fold]");
        var rows = table.Rows.Select(r => (r.PathOf("path"), r.Text("label"), r.Integer("fold"))).ToList();
        return Build(rows, table.File, log);
    }

    /// <summary>Turns (path, class name, fold) rows into a dataset, leaving out (and reporting) missing files.</summary>
    internal static SampleSet Build(IReadOnlyList<(string Path, string Label, int Fold)> rows, string source, Action<string>? log)
    {
        if (rows.Count == 0) throw new InvalidDataException($"{source}: no rows");
        var classes = SampleSet.SortedClasses(rows.Select(r => r.Label));
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var samples = ListedFiles.Existing(rows.Select(r => new Sample(r.Path, index[r.Label], r.Fold)), source, log);
        return new SampleSet(samples, classes, source);
    }
}
