using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Vicreg.Data;

/// <summary>
/// A CSV whose first row names its columns (an audio manifest, a paired manifest, ESC-50's meta file), read by
/// column name. Every refusal is one line <c>file:line: problem</c>: a missing column, a row with the wrong number
/// of fields, an empty or non-numeric field. Columns are matched case-insensitively; unknown ones are ignored.
/// </summary>
public sealed class ManifestTable
{
    private ManifestTable(string file, string[] header, List<ManifestRow> rows)
    {
        File = file;
        Header = header;
        Rows = rows;
    }

    /// <summary>Full path of the CSV.</summary>
    public string File { get; }

    /// <summary>The column names, lower-cased and trimmed.</summary>
    public IReadOnlyList<string> Header { get; }

    public IReadOnlyList<ManifestRow> Rows { get; }

    public bool Has(string column) => Header.Contains(column);

    /// <param name="path">The CSV.</param>
    /// <param name="required">Columns that must be in the header.</param>
    /// <param name="expected">The header as the user should write it, for the messages ("path,label[,fold]").</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">An empty file, a missing column or a malformed row: one line naming the file and the line.</exception>
    public static ManifestTable Read(string path, IReadOnlyList<string> required, string expected)
    {
        string file = Path.GetFullPath(path);
        if (!System.IO.File.Exists(file)) throw new FileNotFoundException($"{file}: not found (expected a CSV with the header {expected})", file);
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = false, BadDataFound = null, TrimOptions = TrimOptions.Trim, IgnoreBlankLines = true,
        };
        try
        {
            using var reader = new StreamReader(file);
            using var csv = new CsvReader(reader, config);
            if (!csv.Read()) throw new InvalidDataException($"{file}:1: empty file (expected a header: {expected})");
            var header = (csv.Parser.Record ?? []).Select(h => h.Trim().ToLowerInvariant()).ToArray();
            foreach (var column in required)
                if (!header.Contains(column))
                    throw new InvalidDataException($"{file}:{csv.Parser.RawRow}: missing column '{column}' (found: {string.Join(", ", header)}; expected {expected})");
            var rows = new List<ManifestRow>();
            while (csv.Read())
            {
                int line = csv.Parser.RawRow;
                var record = csv.Parser.Record ?? [];
                if (record.Length == 1 && record[0].Length == 0) continue;
                if (record.Length != header.Length)
                    throw new InvalidDataException($"{file}:{line}: {record.Length} fields, but the header has {header.Length} ({string.Join(",", header)})");
                rows.Add(new ManifestRow(file, line, header, record));
            }
            if (rows.Count == 0) throw new InvalidDataException($"{file}: no rows (only a header)");
            return new ManifestTable(file, header, rows);
        }
        catch (CsvHelperException e)
        {
            throw CsvErrors.OneLine(file, e);
        }
    }
}

/// <summary>One row of a <see cref="ManifestTable"/>; its accessors refuse bad fields as <c>file:line: field 'x' …</c>.</summary>
public sealed class ManifestRow
{
    private readonly string[] header, record;

    internal ManifestRow(string file, int line, string[] header, string[] record)
    {
        File = file;
        Line = line;
        this.header = header;
        this.record = record;
    }

    public string File { get; }
    public int Line { get; }

    /// <summary>The field, or null when the table has no such column.</summary>
    public string? Optional(string column)
    {
        int i = Array.IndexOf(header, column);
        return i < 0 ? null : record[i];
    }

    /// <summary>The field, which must be present and non-empty.</summary>
    public string Text(string column)
    {
        var value = Optional(column);
        return string.IsNullOrEmpty(value) ? throw Problem(column, " is empty") : value;
    }

    /// <summary>An integer field; <paramref name="absent"/> when the table has no such column.</summary>
    public int Integer(string column, int absent = 0)
    {
        var value = Optional(column);
        if (value is null) return absent;
        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : throw Problem(column, $": \"{value}\" is not an integer");
    }

    /// <summary>A path field, resolved against the CSV's folder when relative.</summary>
    public string PathOf(string column)
    {
        var value = Text(column);
        try { return Path.GetFullPath(Path.IsPathRooted(value) ? value : Path.Combine(Path.GetDirectoryName(File)!, value)); }
        catch (ArgumentException e) { throw Problem(column, $": \"{value}\" is not a usable path ({e.Message})"); }
    }

    private InvalidDataException Problem(string column, string what) => new($"{File}:{Line}: field '{column}'{what}");
}
