using System.Collections;

namespace Vicreg.Data;

/// <summary>An in-memory <see cref="ISampleSet"/>, with the fold and every-k-th splits of held-out data.</summary>
public sealed record SampleSet(IReadOnlyList<Sample> Samples, IReadOnlyList<string> Classes, string Source) : ISampleSet
{
    public int Count => Samples.Count;
    public Sample this[int index] => Samples[index];
    public IEnumerator<Sample> GetEnumerator() => Samples.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>A copy of any sample set.</summary>
    public static SampleSet Of(ISampleSet set) => set as SampleSet ?? new SampleSet(set.ToArray(), set.Classes, set.Source);

    /// <summary>The samples whose fold is <paramref name="fold"/> (held out) and the others (train).</summary>
    public (SampleSet Train, SampleSet HeldOut) SplitByFold(int fold)
    {
        if (Samples.All(s => s.Fold != fold))
            throw new InvalidDataException($"{Source}: no sample is in fold {fold} (folds present: {string.Join(", ", Folds)})");
        return (this with { Samples = Samples.Where(s => s.Fold != fold).ToList() },
                this with { Samples = Samples.Where(s => s.Fold == fold).ToList() });
    }

    /// <summary>The folds present, in order (ESC-50: 1–5).</summary>
    public IReadOnlyList<int> Folds => Samples.Select(s => s.Fold).Distinct().Order().ToList();

    /// <summary>A deterministic split for data without folds: every <paramref name="every"/>-th sample of each
    /// class (in path order) is held out.</summary>
    public (SampleSet Train, SampleSet HeldOut) SplitEvery(int every)
    {
        var train = new List<Sample>();
        var held = new List<Sample>();
        foreach (var group in Samples.GroupBy(s => s.Label))
        {
            int i = 0;
            foreach (var s in group.OrderBy(s => s.Path, StringComparer.Ordinal))
                (i++ % every == every - 1 ? held : train).Add(s);
        }
        return (this with { Samples = train }, this with { Samples = held });
    }

    /// <summary>Class names in ordinal order (the class index is the position).</summary>
    public static IReadOnlyList<string> SortedClasses(IEnumerable<string> names) =>
        names.Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
}
