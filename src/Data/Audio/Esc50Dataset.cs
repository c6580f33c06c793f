using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using CsvHelper.TypeConversion;

namespace Vicreg.Data.Audio;

/// <summary>
/// The ESC-50 layout (github.com/karolpiczak/ESC-50): <c>audio/*.wav</c> and <c>meta/esc50.csv</c> with the
/// columns filename, fold, target, category (others are ignored). 2,000 five-second clips, 50 classes,
/// 5 folds. The paper's 1600/400 split holds out one fold (fold 5 by default here, configurable); 5-fold
/// cross-validation holds out each fold in turn.
/// </summary>
public static class Esc50Dataset
{
    public const string MetaFile = "meta/esc50.csv";

    private sealed class Row
    {
        public string Filename { get; set; } = "";
        public int Fold { get; set; }
        public int Target { get; set; }
        public string Category { get; set; } = "";
    }

    /// <summary>Reads <paramref name="root"/>/meta/esc50.csv. Errors name the file, the line and the field.
    /// Rows whose audio file is missing are left out and reported through <paramref name="log"/>.</summary>
    public static SampleSet Load(string root, Action<string>? log = null)
    {
        string meta = Path.Combine(root, MetaFile);
        if (!File.Exists(meta))
            throw new FileNotFoundException($"{meta}: not found (the ESC-50 layout is audio/*.wav and meta/esc50.csv)");
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            PrepareHeaderForMatch = a => a.Header.Trim().ToLowerInvariant(),
            HeaderValidated = null,
            MissingFieldFound = null,
        };
        var rows = new List<Row>();
        using (var reader = new StreamReader(meta))
        using (var csv = new CsvReader(reader, config))
        {
            if (!csv.Read() || !csv.ReadHeader())
                throw new InvalidDataException($"{meta}: empty file (expected a header: filename,fold,target,category,...)");
            foreach (var column in new[] { "filename", "fold", "target", "category" })
                if (!csv.HeaderRecord!.Any(h => h.Trim().Equals(column, StringComparison.OrdinalIgnoreCase)))
                    throw new InvalidDataException($"{meta}: missing column '{column}' (found: {string.Join(", ", csv.HeaderRecord!)})");
            while (csv.Read())
            {
                try { rows.Add(csv.GetRecord<Row>()!); }
                catch (CsvHelperException e)
                {
                    throw new InvalidDataException($"{meta}: line {csv.Parser.RawRow}: {FieldProblem(e)}");
                }
            }
        }
        if (rows.Count == 0) throw new InvalidDataException($"{meta}: no rows");
        // Class names ordered by ESC-50's own target index, so labels equal the CSV's targets.
        var classes = rows.GroupBy(r => r.Target).OrderBy(g => g.Key).Select(g => g.First().Category).ToList();
        var byTarget = rows.Select(r => r.Target).Distinct().Order().ToList();
        var samples = new List<Sample>(rows.Count);
        int missing = 0;
        foreach (var r in rows)
        {
            string path = Path.Combine(root, "audio", r.Filename);
            if (!File.Exists(path))
            {
                if (missing++ < 5) log?.Invoke($"{path}: listed in {MetaFile} but missing; left out");
                continue;
            }
            samples.Add(new Sample(path, byTarget.IndexOf(r.Target), r.Fold));
        }
        if (missing > 5) log?.Invoke($"{missing} files listed in {MetaFile} are missing in total; left out");
        if (samples.Count == 0) throw new InvalidDataException($"{root}/audio: none of the {rows.Count} files in {MetaFile} exists");
        return new SampleSet(samples, classes, meta);
    }

    private static string FieldProblem(CsvHelperException e) => e switch
    {
        TypeConverterException t => $"field '{(t.MemberMapData?.Member?.Name ?? "?").ToLowerInvariant()}': cannot read \"{t.Text}\" as a number",
        _ => e.Message.Split('\n')[0].Trim(),
    };
}
