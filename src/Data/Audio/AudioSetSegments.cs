using System.Globalization;

namespace Vicreg.Data.Audio;

/// <summary>
/// An AudioSet segments CSV (<c>YTID, start_seconds, end_seconds, positive_labels</c>; lines starting with
/// '#' are comments; labels are quoted and comma-separated) mapped to local files by a pattern with the
/// placeholders {ytid}, {start} and {end} (e.g. "{ytid}_{start}.wav", start/end formatted as in the CSV).
/// AudioSet is multi-label; the single-label probe here uses the first positive label of each segment.
/// </summary>
public static class AudioSetSegments
{
    public const string DefaultPattern = "{ytid}.wav";

    public static SampleSet Load(string csvPath, string audioDir, string pattern = DefaultPattern, Action<string>? log = null)
    {
        if (!File.Exists(csvPath)) throw new FileNotFoundException($"{csvPath}: segments file not found");
        if (!Directory.Exists(audioDir)) throw new DirectoryNotFoundException($"{audioDir}: audio folder for {csvPath} does not exist");
        var rows = new List<(string Path, string Label, int Fold)>();
        int lineNumber = 0;
        foreach (var raw in File.ReadLines(csvPath))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = SplitRow(line);
            if (parts.Count < 4)
                throw new InvalidDataException($"{csvPath}:{lineNumber}: expected YTID, start_seconds, end_seconds, positive_labels; got {parts.Count} fields");
            string ytid = parts[0], start = parts[1], end = parts[2];
            foreach (var (name, value) in new[] { ("start_seconds", start), ("end_seconds", end) })
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    throw new InvalidDataException($"{csvPath}:{lineNumber}: field '{name}': \"{value}\" is not a number");
            string label = parts[3].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
            if (label.Length == 0) throw new InvalidDataException($"{csvPath}:{lineNumber}: field 'positive_labels' is empty");
            string file = pattern.Replace("{ytid}", ytid).Replace("{start}", start).Replace("{end}", end);
            rows.Add((Path.Combine(audioDir, file), label, 0));
        }
        return AudioManifest.Build(rows, csvPath, log);
    }

    /// <summary>Splits on commas outside double quotes and trims; quotes are removed.</summary>
    private static List<string> SplitRow(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        bool quoted = false;
        foreach (char ch in line)
        {
            if (ch == '"') quoted = !quoted;
            else if (ch == ',' && !quoted) { fields.Add(current.ToString().Trim()); current.Clear(); }
            else current.Append(ch);
        }
        fields.Add(current.ToString().Trim());
        return fields;
    }
}
