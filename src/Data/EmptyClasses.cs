namespace Vicreg.Data;

/// <summary>
/// Class folders that hold no files. torchvision's ImageFolder refuses them, and so does this project by default:
/// an empty folder is nearly always a copy or an extraction that failed, and kept as a class it still widens the
/// probe's classifier and its top-k with a class that can never appear. Under data.empty_classes=ignore they are
/// left out with one warning and the labels are renumbered over the classes that remain (in the same order).
/// </summary>
public static class EmptyClasses
{
    /// <summary>The set unchanged when every class has a sample; else refused (one line naming the folders) or,
    /// with <paramref name="ignore"/>, the set without them. <paramref name="files"/> names what a class folder
    /// holds, for the message (e.g. "images (.jpg/.jpeg/.png)", ".wav files").</summary>
    public static ISampleSet Apply(ISampleSet set, bool ignore, Action<string> warn, string files)
    {
        var remap = Plan(set.Classes, set.Select(s => s.Label), set.Source, ignore, warn, files);
        return remap is null ? set : new SampleSet(set.Select(s => s with { Label = remap[s.Label] }).ToList(), Kept(set.Classes, remap), set.Source);
    }

    /// <summary>New label of each old one (-1: left out), or null when no class is empty.</summary>
    private static int[]? Plan(IReadOnlyList<string> classes, IEnumerable<int> labels, string root, bool ignore, Action<string> warn, string files)
    {
        var count = new int[classes.Count];
        foreach (int label in labels) count[label]++;
        var empty = Enumerable.Range(0, classes.Count).Where(i => count[i] == 0).Select(i => classes[i]).ToArray();
        if (empty.Length == 0) return null;
        string names = string.Join(", ", empty.Take(5).Select(n => $"'{n}'")) + (empty.Length > 5 ? $" and {empty.Length - 5} more" : "");
        if (!ignore)
            throw new InvalidDataException(
                $"{root}: {empty.Length} class folder(s) hold no {files}: {names}; fill or remove them, or set data.empty_classes=ignore to leave them out");
        warn($"warning: {root}: leaving out {empty.Length} empty class folder(s) ({names}) under data.empty_classes=ignore; {classes.Count - empty.Length} classes remain");
        var remap = new int[classes.Count];
        for (int i = 0, next = 0; i < classes.Count; i++) remap[i] = count[i] == 0 ? -1 : next++;
        return remap;
    }

    private static string[] Kept(IReadOnlyList<string> classes, int[] remap) => classes.Where((_, i) => remap[i] >= 0).ToArray();
}
