using Vicreg.Data;

namespace Vicreg.Training.Evaluation;

/// <summary>
/// The labelled fraction of the training set for semi-supervised evaluation (the paper's 1% and 10%). The
/// choice is deterministic: per class, the samples sorted by path, shuffled with a generator seeded by
/// (seed, class), the first max(1, round(p/100 · n)) kept, so every class is represented and the same seed
/// always gives the same subset. Lists are written to the run folder, one path relative to the training
/// root per line; SimCLR's ImageNet lists (1percent.txt: bare file names whose class is the prefix before
/// '_') are read too.
/// </summary>
public static class LabelSubset
{
    public static IReadOnlyList<int> Select(IReadOnlyList<Sample> samples, double percent, int seed)
    {
        if (!(percent > 0 && percent <= 100)) throw new ArgumentOutOfRangeException(nameof(percent), $"must be in (0, 100]; got {percent}");
        var picked = new List<int>();
        foreach (var group in Enumerable.Range(0, samples.Count).GroupBy(i => samples[i].Label).OrderBy(g => g.Key))
        {
            var members = group.OrderBy(i => samples[i].Path, StringComparer.Ordinal).ToArray();
            var rng = SeedMix.Rng(seed, group.Key, 0x5E41);
            for (int i = members.Length - 1; i > 0; i--)
            {
                int j = rng.Next(i + 1);
                (members[i], members[j]) = (members[j], members[i]);
            }
            int keep = Math.Max(1, (int)Math.Round(percent / 100.0 * members.Length, MidpointRounding.AwayFromZero));
            picked.AddRange(members.Take(keep));
        }
        picked.Sort();
        return picked;
    }

    /// <summary>Names in a list are relative to the image folder, or to the folder of a file list.</summary>
    private static string BaseDir(ISampleSet train) => Directory.Exists(train.Source) ? train.Source : Path.GetDirectoryName(Path.GetFullPath(train.Source))!;

    public static void Write(string path, ISampleSet train, IReadOnlyList<int> subset)
    {
        string tmp = path + ".tmp";
        File.WriteAllLines(tmp, subset.Select(i => Path.GetRelativePath(BaseDir(train), train[i].Path).Replace('\\', '/')));
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Indexes into <paramref name="train"/> of the files a list names. A name that is not in the
    /// training set is an error naming the list and the line.</summary>
    public static IReadOnlyList<int> Read(string path, ISampleSet train)
    {
        var byRelative = new Dictionary<string, int>(StringComparer.Ordinal);
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < train.Count; i++)
        {
            byRelative[Path.GetRelativePath(BaseDir(train), train[i].Path).Replace('\\', '/')] = i;
            byName.TryAdd(Path.GetFileName(train[i].Path), i);
        }
        var result = new List<int>();
        int lineNo = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNo++;
            string line = raw.Trim();
            if (line.Length == 0) continue;
            if (byRelative.TryGetValue(line, out int i) || byName.TryGetValue(line, out i)) result.Add(i);
            else throw new InvalidDataException($"{path}:{lineNo}: \"{line}\" is not an image of the training set ({train.Source})");
        }
        if (result.Count == 0) throw new InvalidDataException($"{path}: the list is empty");
        return result.Distinct().Order().ToList();
    }
}
