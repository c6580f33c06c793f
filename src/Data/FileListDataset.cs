using System.Collections;
using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Vicreg.Data;

/// <summary>
/// Images listed in a CSV or TSV file, one <c>path,label</c> row each (tab-separated when the file ends
/// in .tsv or its first line has a tab). An optional header row starts with "path". Relative paths are
/// resolved against the list file's folder. Labels are either all non-negative integers (used as given;
/// classes are "0".."max") or class names (sorted ordinally; the label is the position). Whether each
/// file decodes is checked when it is loaded, not here (a missing file is skipped then, with one line).
/// </summary>
public sealed class FileListDataset : ISampleSet
{
    private readonly List<Sample> _samples = new();

    /// <exception cref="FileNotFoundException">The list file does not exist.</exception>
    /// <exception cref="InvalidDataException">A row is malformed (names the file and the line), or the list is empty.</exception>
    public FileListDataset(string listFile)
    {
        ArgumentNullException.ThrowIfNull(listFile);
        Source = Path.GetFullPath(listFile);
        if (!File.Exists(Source)) throw new FileNotFoundException($"File list '{Source}' does not exist.", Source);
        string baseDir = Path.GetDirectoryName(Source)!;
        string firstLine = File.ReadLines(Source).FirstOrDefault() ?? "";
        bool tabs = Source.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) || firstLine.Contains('\t');
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = tabs ? "\t" : ",",
            HasHeaderRecord = false,
            BadDataFound = null,
            TrimOptions = TrimOptions.Trim,
            IgnoreBlankLines = true,
            Mode = tabs ? CsvMode.NoEscape : CsvMode.RFC4180,
        };
        var rows = new List<(string Path, string Label, int Line)>();
        try
        {
        using (var reader = new StreamReader(Source))
        using (var csv = new CsvReader(reader, config))
        {
            bool first = true;
            while (csv.Read())
            {
                int line = csv.Parser.RawRow;
                var record = csv.Parser.Record ?? [];
                if (first && record.Length > 0 && string.Equals(record[0], "path", StringComparison.OrdinalIgnoreCase))
                {
                    first = false;
                    continue;
                }
                first = false;
                if (record.Length == 1 && record[0].Length == 0) continue;
                if (record.Length < 2 || record[0].Length == 0 || record[1].Length == 0)
                    throw new InvalidDataException($"{Source}:{line}: expected 'path{(tabs ? "<tab>" : ",")}label', got '{Echo(string.Join(tabs ? "\t" : ",", record))}'");
                rows.Add((record[0], record[1], line));
            }
        }
        }
        catch (CsvHelperException e)
        {
            throw CsvErrors.OneLine(Source, e);
        }
        if (rows.Count == 0) throw new InvalidDataException($"File list '{Source}' has no rows (expected 'path,label' per line).");

        bool numeric = rows.All(r => int.TryParse(r.Label, NumberStyles.None, CultureInfo.InvariantCulture, out _));
        Dictionary<string, int> byName;
        if (numeric)
        {
            int max = rows.Max(r => int.Parse(r.Label, CultureInfo.InvariantCulture));
            Classes = Enumerable.Range(0, max + 1).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
            byName = Classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
            foreach (var r in rows)
                _samples.Add(new Sample(Resolve(baseDir, r), int.Parse(r.Label, CultureInfo.InvariantCulture)));
        }
        else
        {
            Classes = rows.Select(r => r.Label).Distinct().Order(StringComparer.Ordinal).ToArray();
            byName = Classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
            foreach (var r in rows) _samples.Add(new Sample(Resolve(baseDir, r), byName[r.Label]));
        }
    }

    private string Resolve(string baseDir, (string Path, string Label, int Line) row)
    {
        try { return Path.GetFullPath(Path.IsPathRooted(row.Path) ? row.Path : Path.Combine(baseDir, row.Path)); }
        catch (ArgumentException e) { throw new InvalidDataException($"{Source}:{row.Line}: '{Echo(row.Path)}' is not a usable path ({e.Message})", e); }
    }

    /// <summary>A row as it can be quoted in one line of an error.</summary>
    private static string Echo(string text)
    {
        string flat = new(text.ReplaceLineEndings(" ").Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return flat.Length <= 120 ? flat : flat[..120] + "…";
    }

    /// <summary>Full path of the list file.</summary>
    public string Source { get; }

    public IReadOnlyList<string> Classes { get; }
    public int Count => _samples.Count;
    public Sample this[int index] => _samples[index];
    public IEnumerator<Sample> GetEnumerator() => _samples.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
