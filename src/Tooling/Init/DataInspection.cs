using System.Globalization;
using Vicreg.Data;
using Vicreg.Training.Sources;

namespace Vicreg.Tooling.Init;

/// <summary>What <c>vicreg init</c> found in a folder or manifest: the layout and modality, the classes and their
/// balance, the image sizes or clip durations, and the files it could not read.</summary>
public sealed record DataReport(
    string Modality, string Kind, string Train, string? Val, IReadOnlyList<string> Classes, IReadOnlyList<int> TrainCounts,
    int ValCount, int Inspected, IReadOnlyList<(string Path, string Reason)> Unreadable,
    IReadOnlyList<(int Width, int Height)> ImageSizes, IReadOnlyList<double> ClipSeconds, int SampleRate)
{
    public int TrainCount => TrainCounts.Sum();

    /// <summary>Largest class over smallest (1: balanced).</summary>
    public double Imbalance => TrainCounts.Count == 0 || TrainCounts.Min() == 0 ? double.PositiveInfinity : (double)TrainCounts.Max() / TrainCounts.Min();

    public static double Quantile(IReadOnlyList<double> xs, double q)
    {
        if (xs.Count == 0) return double.NaN;
        var sorted = xs.OrderBy(x => x).ToArray();
        return sorted[(int)Math.Clamp(Math.Round(q * (sorted.Length - 1)), 0, sorted.Length - 1)];
    }

    /// <summary>The short report printed before the config is written.</summary>
    public IEnumerable<string> Lines()
    {
        yield return $"data: {Train}" + (Val is null ? "" : $" (held out: {Val})") + $": {Modality}, data.kind {Kind}";
        yield return $"  {TrainCount} training files" + (Val is null ? "" : $", {ValCount} held out") + $", {Classes.Count} classes";
        string counts = string.Join(", ", Classes.Zip(TrainCounts).OrderByDescending(p => p.Second).Take(12).Select(p => $"{p.First} {p.Second}"));
        yield return $"  classes: {counts}{(Classes.Count > 12 ? ", …" : "")}";
        if (TrainCount > 0)
            yield return FormattableString.Invariant($"  balance: the largest class is {100.0 * TrainCounts.Max() / TrainCount:F1}% of the files (chance {100.0 / Math.Max(1, Classes.Count):F1}%), largest/smallest {Imbalance:0.#}×") +
                (Imbalance > 3 ? "; unbalanced: compare probes with the majority class, not with chance" : "");
        if (ImageSizes.Count > 0)
        {
            var sides = ImageSizes.Select(s => (double)Math.Min(s.Width, s.Height)).ToList();
            yield return FormattableString.Invariant($"  image sizes ({ImageSizes.Count} inspected): shorter side median {Quantile(sides, 0.5):0} px (min {sides.Min():0}, max {sides.Max():0}); ") +
                $"most common {ImageSizes.GroupBy(s => s).OrderByDescending(g => g.Count()).First().Key.Width}×{ImageSizes.GroupBy(s => s).OrderByDescending(g => g.Count()).First().Key.Height}";
        }
        if (ClipSeconds.Count > 0)
            yield return FormattableString.Invariant($"  clip durations ({ClipSeconds.Count} inspected): median {Quantile(ClipSeconds, 0.5):0.00} s, 10% under {Quantile(ClipSeconds, 0.1):0.00} s, ") +
                FormattableString.Invariant($"min {ClipSeconds.Min():0.00} s, max {ClipSeconds.Max():0.00} s; sample rate {SampleRate} Hz");
        yield return Unreadable.Count == 0
            ? $"  unreadable files: none of the {Inspected} inspected"
            : $"  unreadable files: {Unreadable.Count} of the {Inspected} inspected (they are skipped and counted during training), e.g. {Unreadable[0].Path}: {Unreadable[0].Reason}";
    }
}

/// <summary>
/// Looks at a data folder or manifest the way the data kinds will read it: a folder with one subfolder per class (or
/// train/ and val/ (or test/) folders holding those), or a CSV/TSV list of path,label. Image headers and WAV headers are
/// read (not the pixels or samples) for at most <see cref="MaxInspected"/> files spread over the classes.
/// </summary>
public static class DataInspection
{
    public const int MaxInspected = 3000;
    private static readonly string[] ValNames = { "val", "valid", "validation", "test" };

    /// <exception cref="InvalidDataException">The path holds nothing the data kinds can read; the message says what was expected.</exception>
    public static DataReport Inspect(string path)
    {
        string full = Path.GetFullPath(path);
        if (File.Exists(full)) return InspectList(full);
        if (!Directory.Exists(full)) throw new InvalidDataException($"--data: no such file or folder: {full}");
        var sub = Directory.GetDirectories(full).ToDictionary(d => Path.GetFileName(d).ToLowerInvariant(), d => d);
        if (sub.TryGetValue("train", out var train) && ValNames.FirstOrDefault(sub.ContainsKey) is { } valName && Directory.GetDirectories(train).Length > 0)
            return InspectFolders(train, sub[valName]);
        return InspectFolders(full, null);
    }

    private static DataReport InspectFolders(string train, string? val)
    {
        // The modality with the most files; images on a tie (the first starter).
        var counts = StarterModalities.All.Select(s => (Starter: s, Files: CountFiles(train, s.Extensions))).ToList();
        if (counts.All(c => c.Files == 0))
            throw new InvalidDataException($"--data: {train} has no {string.Join(" or ", counts.Select(c => string.Join("/", c.Starter.Extensions)))} files in class subfolders (expected one subfolder per class, " +
                "or train/ and val/ folders holding them, or a CSV of path,label)");
        var starter = counts.MaxBy(c => c.Files).Starter;
        string title = ModalityCatalog.Get(starter.Modality).Title;
        var set = ClassFolders.Scan(train, title, starter.Extensions);
        var held = val is null ? null : ClassFolders.Scan(val, title, starter.Extensions);
        return Measure(starter, starter.FolderKind, train, val, set, held);
    }

    private static DataReport InspectList(string list)
    {
        var ext = Path.GetExtension(list).ToLowerInvariant();
        if (ext is not (".csv" or ".tsv" or ".txt"))
            throw new InvalidDataException($"--data: {list} is a file but not a CSV/TSV list of path,label (give the folder, or the list)");
        // Which modality: the extension of most paths in the first rows; images when none has the majority.
        var firstPaths = File.ReadLines(list).Skip(1).Take(20).Select(l => l.Split(ext == ".tsv" ? '\t' : ',')[0].Trim().Trim('"')).ToList();
        var starter = StarterModalities.All.FirstOrDefault(s =>
            firstPaths.Count(p => s.Extensions.Any(e => p.EndsWith(e, StringComparison.OrdinalIgnoreCase))) > firstPaths.Count / 2) ?? StarterModalities.All[0];
        return Measure(starter, starter.ListKind, list, null, starter.ReadList(list), null);
    }

    private static DataReport Measure(StarterModality starter, string kind, string train, string? val, SampleSet set, SampleSet? held)
    {
        var counts = Enumerable.Range(0, set.Classes.Count).Select(c => set.Count(s => s.Label == c)).ToList();
        var picked = Spread(set.Concat(held ?? Enumerable.Empty<Sample>()).ToList(), MaxInspected);
        var unreadable = new List<(string, string)>();
        var measures = new FileMeasures();
        var gate = new object();
        Parallel.ForEach(picked, new ParallelOptions { MaxDegreeOfParallelism = 2 }, s =>
        {
            try
            {
                starter.Measure(s.Path, measures);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                lock (gate) unreadable.Add((s.Path, e.Message.Split('\n')[0].Trim()));
            }
        });
        return new DataReport(starter.Modality, kind, train, val, set.Classes, counts, held?.Count ?? 0, picked.Count,
            unreadable.OrderBy(u => u.Item1, StringComparer.Ordinal).ToList(), measures.ImageSizes, measures.ClipSeconds, measures.SampleRate);
    }

    private static List<Sample> Spread(IReadOnlyList<Sample> all, int n) =>
        all.Count <= n ? all.ToList() : Enumerable.Range(0, n).Select(i => all[(int)((long)i * all.Count / n)]).ToList();

    private static int CountFiles(string root, IReadOnlyList<string> extensions) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Take(20000)
            .Count(f => extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase));

    internal static string Invariant(double x, string format) => x.ToString(format, CultureInfo.InvariantCulture);
}
