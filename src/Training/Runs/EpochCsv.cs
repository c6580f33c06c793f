using System.Globalization;

namespace Vicreg.Training.Runs;

/// <summary>
/// A per-epoch CSV in the run folder (diagnostics.csv, knn.csv, spectrum.csv) whose first column is the
/// epoch. Opening it for an epoch drops the rows of that epoch and later ones (a resumed run repeats them),
/// so the file reads as one uninterrupted run; every row is flushed as written.
/// </summary>
public sealed class EpochCsv
{
    private readonly string path;
    private readonly string header;
    private int? openedAt;

    public EpochCsv(string path, string header)
    {
        this.path = path;
        this.header = header;
    }

    public string Path => path;

    /// <summary>Appends rows for <paramref name="epoch"/>. Values are written with the invariant culture.</summary>
    public void Append(int epoch, IEnumerable<IReadOnlyList<object>> rows)
    {
        if (openedAt is null || epoch < openedAt)
        {
            Truncate(epoch);
            openedAt = epoch;
        }
        using var w = new StreamWriter(path, append: true);
        foreach (var row in rows)
            w.WriteLine(string.Join(",", new object[] { epoch }.Concat(row).Select(Format)));
        w.Flush();
    }

    private void Truncate(int fromEpoch)
    {
        var kept = new List<string> { header };
        if (File.Exists(path))
            kept.AddRange(File.ReadLines(path).Skip(1).Where(l => l.Length > 0)
                .Where(l => int.TryParse(l.Split(',')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int e) && e < fromEpoch));
        string tmp = path + ".tmp";
        File.WriteAllLines(tmp, kept);
        File.Move(tmp, path, overwrite: true);
    }

    private static string Format(object v) => v switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    /// <summary>Rows of a file written by this class, as header-keyed dictionaries (empty when absent).</summary>
    public static List<Dictionary<string, string>> Read(string path)
    {
        if (!File.Exists(path)) return new();
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) return new();
        var names = lines[0].Split(',');
        return lines.Skip(1).Select(l => l.Split(',')).Where(f => f.Length == names.Length)
            .Select(f => names.Zip(f).ToDictionary(x => x.First, x => x.Second)).ToList();
    }
}
