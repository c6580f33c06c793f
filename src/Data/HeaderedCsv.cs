using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Vicreg.Data;

/// <summary>
/// A CSV whose first row names its columns, read row by row with each row's line, for the list files of the paired
/// layouts (image,audio[,label][,fold] and clip,label[,fold]). Column names are matched case-insensitively; every
/// problem is one line, <c>file:line: problem</c>.
/// </summary>
internal sealed class HeaderedCsv
{
    private readonly string[] header;

    private HeaderedCsv(string source, string[] header)
    {
        Source = source;
        this.header = header;
    }

    public string Source { get; }

    /// <summary>Reads <paramref name="csvPath"/>, refusing it when a <paramref name="required"/> column is missing;
    /// <paramref name="expected"/> describes the columns in messages ("image,audio[,label][,fold]").</summary>
    public static (HeaderedCsv Csv, List<Row> Rows) Read(string csvPath, string what, string expected, params string[] required)
    {
        string source = Path.GetFullPath(csvPath);
        if (!File.Exists(source)) throw new FileNotFoundException($"{source}: {what} not found", source);
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = false, BadDataFound = null, TrimOptions = TrimOptions.Trim, IgnoreBlankLines = true,
        };
        using var reader = new StreamReader(source);
        using var parser = new CsvReader(reader, config);
        if (!parser.Read()) throw new InvalidDataException($"{source}:1: empty file (expected a header: {expected})");
        var names = (parser.Parser.Record ?? []).Select(h => h.Trim().ToLowerInvariant()).ToArray();
        var csv = new HeaderedCsv(source, names);
        foreach (var column in required)
            if (!csv.Has(column))
                throw new InvalidDataException($"{source}:{parser.Parser.RawRow}: missing column '{column}' (found: {string.Join(", ", names)}; expected {expected})");
        var rows = new List<Row>();
        while (parser.Read())
        {
            int line = parser.Parser.RawRow;
            var record = parser.Parser.Record ?? [];
            if (record.Length == 1 && record[0].Length == 0) continue;
            if (record.Length != names.Length)
                throw new InvalidDataException($"{source}:{line}: {record.Length} fields, but the header has {names.Length} ({string.Join(",", names)})");
            rows.Add(new Row(csv, line, record));
        }
        return (csv, rows);
    }

    public bool Has(string column) => Array.IndexOf(header, column) >= 0;

    /// <summary>One row of fields, with its line for messages.</summary>
    public sealed record Row(HeaderedCsv Csv, int Line, string[] Record)
    {
        /// <summary>The field of a column, which must not be empty.</summary>
        public string Field(string column)
        {
            string value = Record[Array.IndexOf(Csv.header, column)];
            return value.Length > 0 ? value : throw new InvalidDataException($"{Csv.Source}:{Line}: field '{column}' is empty");
        }

        /// <summary>The integer of an optional column; 0 when the CSV has no such column.</summary>
        public int IntOrZero(string column)
        {
            if (!Csv.Has(column)) return 0;
            string value = Record[Array.IndexOf(Csv.header, column)];
            return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n
                : throw new InvalidDataException($"{Csv.Source}:{Line}: field '{column}': \"{value}\" is not an integer");
        }
    }
}
