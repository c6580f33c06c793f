using Vicreg.Data;
using Vicreg.Data.Jpeg;
using Vicreg.Data.Views;
using Vicreg.Training.Config;

namespace Vicreg.Training.Sources;

/// <summary>
/// The readers of one run: one per (modality, sample list), opened through the modality's catalog entry, sharing
/// what a modality shares across lists (the audio clip cache: a clip is decoded, and a bad file reported, once for
/// pretraining and evaluation alike). Disposing it frees what the readers hold.
/// </summary>
public sealed class SampleReaders : IDisposable
{
    private readonly DataConfig data;
    private readonly Dictionary<(string Modality, IReadOnlyList<Sample> Samples), ISampleReader> open = new();
    private readonly Dictionary<Type, object> shared = new();
    private readonly List<IDisposable> owned = new();

    public SampleReaders(DataConfig data, Action<string> info)
    {
        this.data = data;
        Info = info;
    }

    /// <summary>Where readers write their one-line reports (skipped files).</summary>
    public Action<string> Info { get; }

    /// <summary>The reader of <paramref name="modality"/> over <paramref name="samples"/> (the same object for the same list).</summary>
    public ISampleReader For(string modality, IReadOnlyList<Sample> samples)
    {
        var key = (modality, samples);
        if (!open.TryGetValue(key, out var reader))
            open[key] = reader = ModalityCatalog.Get(modality).OpenReader(data, samples, this);
        return reader;
    }

    /// <summary>One object of type <typeparamref name="T"/> for every reader of this run (a decode cache).</summary>
    public T Shared<T>(Func<T> create) where T : class
    {
        if (!shared.TryGetValue(typeof(T), out var value)) shared[typeof(T)] = value = create();
        return (T)value;
    }

    /// <summary>Registers a reader that holds memory to free with the run.</summary>
    public T Own<T>(T reader) where T : IDisposable
    {
        owned.Add(reader);
        return reader;
    }

    /// <summary>Distinct files that any reader of this run skipped.</summary>
    public int SkippedFiles => open.Values.SelectMany(r => r.SkippedFiles).Distinct(StringComparer.Ordinal).Count();

    /// <summary>How the readers of this run decoded their files, together (null when none counts).</summary>
    public DecodeTally? Decodes
    {
        get
        {
            var tallies = open.Values.Select(r => r.Decodes).OfType<DecodeTally>().ToList();
            return tallies.Count == 0 ? null : DecodeTally.Sum(tallies);
        }
    }

    /// <summary>How many of <paramref name="samples"/> had a file skipped (for a pair: either of its files).</summary>
    public int SkippedSamples(IEnumerable<Sample> samples)
    {
        var skipped = open.Values.SelectMany(r => r.SkippedFiles).ToHashSet(StringComparer.Ordinal);
        return skipped.Count == 0 ? 0 : samples.Count(s => s.Files is { } files ? files.Values.Any(skipped.Contains) : skipped.Contains(s.Path));
    }

    public void Dispose()
    {
        foreach (var d in owned) d.Dispose();
        owned.Clear();
        open.Clear();
    }
}
