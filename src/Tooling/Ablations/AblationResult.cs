using System.Globalization;

namespace Vicreg.Tooling.Ablations;

/// <summary>One row of results.csv: a point of the grid, what became of it and what it measured.
/// <paramref name="RandomInitTop1"/> is the linear probe of the same network at its random initialisation (the floor
/// pretraining must clear; NaN unless the base sets eval.compare_random_init), <paramref name="Classes"/> the data's
/// class count (0: unknown, as in a results.csv without that column).</summary>
public sealed record AblationResult(
    string Point,
    IReadOnlyList<string> Labels,
    string Status,
    double LinearTop1,
    double KnnTop1,
    string CollapseState,
    double MeanStd,
    double RankMe,
    double Seconds,
    string Run,
    double RandomInitTop1 = double.NaN,
    int Classes = 0)
{
    /// <summary>Finished for good: measured, refused, or diverged (rerunning would diverge again).</summary>
    public bool Done => Status == "ok" || IsRefused || Status.StartsWith("diverged", StringComparison.Ordinal);
    public bool IsRefused => Status.StartsWith("refused", StringComparison.Ordinal);
    public bool Collapsed => CollapseState is "complete" or "partial";

    /// <summary>The header row; axis names are quoted like labels ("(λ, μ, ν)" is one column).</summary>
    public static string Header(IEnumerable<string> axes) =>
        string.Join(",", new[] { "point" }.Concat(axes).Concat(new[] { "status", "linear_top1", "knn_top1", "collapse", "mean_std", "rankme", "seconds", "run", "random_init_top1", "classes" }).Select(Quote));

    public string ToCsv() =>
        string.Join(",", new[] { Point }.Concat(Labels).Concat(new[]
        {
            Status, F(LinearTop1), F(KnnTop1), CollapseState, F(MeanStd), F(RankMe), F(Seconds), Run,
            F(RandomInitTop1), Classes > 0 ? Classes.ToString(CultureInfo.InvariantCulture) : "",
        }).Select(Quote));

    static string F(double v) => double.IsNaN(v) ? "" : v.ToString("0.####", CultureInfo.InvariantCulture);

    static string Quote(string s) => s.IndexOfAny(new[] { ',', '"', '\n' }) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    /// <summary>Parses a row written by <see cref="ToCsv"/> with <paramref name="axes"/> label columns; null if malformed.
    /// Rows of the older layout, without random_init_top1 and classes, still parse (those two unknown).</summary>
    public static AblationResult? Parse(string line, int axes)
    {
        var f = Split(line);
        if (f.Count != 9 + axes && f.Count != 11 + axes) return null;
        double D(string s) => string.IsNullOrEmpty(s) ? double.NaN : double.Parse(s, CultureInfo.InvariantCulture);
        try
        {
            int k = 1 + axes;
            bool extended = f.Count == 11 + axes;
            return new AblationResult(f[0], f.Skip(1).Take(axes).ToList(), f[k], D(f[k + 1]), D(f[k + 2]), f[k + 3], D(f[k + 4]), D(f[k + 5]), D(f[k + 6]), f[k + 7],
                extended ? D(f[k + 8]) : double.NaN,
                extended && !string.IsNullOrEmpty(f[k + 9]) ? int.Parse(f[k + 9], CultureInfo.InvariantCulture) : 0);
        }
        catch (FormatException) { return null; }
    }

    static List<string> Split(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else current.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(ch);
        }
        fields.Add(current.ToString());
        return fields;
    }
}
