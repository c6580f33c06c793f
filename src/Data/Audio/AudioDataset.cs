namespace Vicreg.Data.Audio;

/// <summary>A labelled list of audio files. <see cref="Classes"/>[label] names each class.</summary>
public sealed record AudioDataset(IReadOnlyList<AudioSample> Samples, IReadOnlyList<string> Classes, string Source)
{
    public int Count => Samples.Count;

    /// <summary>The samples whose fold is <paramref name="fold"/> (held out) and the others (train).</summary>
    public (AudioDataset Train, AudioDataset HeldOut) SplitByFold(int fold)
    {
        if (Samples.All(s => s.Fold != fold))
            throw new InvalidDataException($"{Source}: no clip is in fold {fold} (folds present: {string.Join(", ", Samples.Select(s => s.Fold).Distinct().Order())})");
        return (this with { Samples = Samples.Where(s => s.Fold != fold).ToList() },
                this with { Samples = Samples.Where(s => s.Fold == fold).ToList() });
    }

    /// <summary>The folds present, in order (ESC-50: 1–5).</summary>
    public IReadOnlyList<int> Folds => Samples.Select(s => s.Fold).Distinct().Order().ToList();

    /// <summary>A deterministic split for datasets without folds: every <paramref name="every"/>-th clip of each
    /// class (in path order) is held out.</summary>
    public (AudioDataset Train, AudioDataset HeldOut) SplitEvery(int every)
    {
        var train = new List<AudioSample>();
        var held = new List<AudioSample>();
        foreach (var group in Samples.GroupBy(s => s.Label))
        {
            int i = 0;
            foreach (var s in group.OrderBy(s => s.Path, StringComparer.Ordinal))
                (i++ % every == every - 1 ? held : train).Add(s);
        }
        return (this with { Samples = train }, this with { Samples = held });
    }

    internal static IReadOnlyList<string> SortedClasses(IEnumerable<string> names) =>
        names.Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
}
