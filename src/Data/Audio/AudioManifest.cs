using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Vicreg.Data.Audio;

/// <summary>
/// A CSV manifest with a header and the columns <c>path,label</c> (and optionally <c>fold</c>). Relative
/// paths are relative to the manifest's folder. Labels are class names, indexed in ordinal order.
/// </summary>
public static class AudioManifest
{
    public static SampleSet Load(string csvPath, Action<string>? log = null)
    {
        if (!File.Exists(csvPath)) throw new FileNotFoundException($"{csvPath}: manifest not found");
        string baseDir = Path.GetDirectoryName(Path.GetFullPath(csvPath))!;
        var rows = new List<(string Path, string Label, int Fold)>();
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            PrepareHeaderForMatch = a => a.Header.Trim().ToLowerInvariant(),
            MissingFieldFound = null, // a short row reads as empty fields, refused below with their name
            BadDataFound = null,
        };
        try
        {
            ReadRows(csvPath, baseDir, config, rows);
        }
        catch (CsvHelperException e)
        {
            throw CsvErrors.OneLine(csvPath, e);
        }
        return Build(rows, csvPath, log);
    }

    private static void ReadRows(string csvPath, string baseDir, CsvConfiguration config, List<(string Path, string Label, int Fold)> rows)
    {
        using (var reader = new StreamReader(csvPath))
        using (var csv = new CsvReader(reader, config))
        {
            if (!csv.Read() || !csv.ReadHeader()) throw new InvalidDataException($"{csvPath}: empty file (expected a header: path,label[,fold])");
            var header = csv.HeaderRecord!.Select(h => h.Trim().ToLowerInvariant()).ToArray();
            foreach (var column in new[] { "path", "label" })
                if (!header.Contains(column)) throw new InvalidDataException($"{csvPath}: missing column '{column}' (found: {string.Join(", ", header)})");
            bool hasFold = header.Contains("fold");
            while (csv.Read())
            {
                string path = csv.GetField("path")?.Trim() ?? "";
                string label = csv.GetField("label")?.Trim() ?? "";
                if (path.Length == 0) throw new InvalidDataException($"{csvPath}: line {csv.Parser.RawRow}: field 'path' is empty");
                if (label.Length == 0) throw new InvalidDataException($"{csvPath}: line {csv.Parser.RawRow}: field 'label' is empty");
                int fold = 0;
                if (hasFold && !int.TryParse(csv.GetField("fold"), NumberStyles.Integer, CultureInfo.InvariantCulture, out fold))
                    throw new InvalidDataException($"{csvPath}: line {csv.Parser.RawRow}: field 'fold': \"{csv.GetField("fold")}\" is not an integer");
                rows.Add((Path.IsPathRooted(path) ? path : Path.Combine(baseDir, path), label, fold));
            }
        }
    }

    /// <summary>Turns (path, class name, fold) rows into a dataset, leaving out (and reporting) missing files.</summary>
    internal static SampleSet Build(IReadOnlyList<(string Path, string Label, int Fold)> rows, string source, Action<string>? log)
    {
        if (rows.Count == 0) throw new InvalidDataException($"{source}: no rows");
        var classes = SampleSet.SortedClasses(rows.Select(r => r.Label));
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var samples = new List<Sample>();
        int missing = 0;
        foreach (var r in rows)
        {
            if (!File.Exists(r.Path))
            {
                if (missing++ < 5) log?.Invoke($"{r.Path}: listed in {source} but missing; left out");
                continue;
            }
            samples.Add(new Sample(r.Path, index[r.Label], r.Fold));
        }
        if (missing > 5) log?.Invoke($"{missing} files listed in {source} are missing in total; left out");
        if (samples.Count == 0) throw new InvalidDataException($"{source}: none of the {rows.Count} listed files exists");
        return new SampleSet(samples, classes, source);
    }
}
