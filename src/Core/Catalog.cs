namespace Vicreg.Core;

/// <summary>
/// Name → entry: the one mechanism behind the encoder, method, modality and dataset-kind catalogs. Names are
/// case-sensitive, as in the config files that name them. Any assembly may register an entry, from any thread, at any
/// time; registering a name again replaces its entry. Listings keep registration order (the built-in entries first).
/// </summary>
/// <typeparam name="TEntry">The entry type; it knows its own name.</typeparam>
public sealed class Catalog<TEntry> where TEntry : class
{
    private readonly string noun;
    private readonly Func<TEntry, string> nameOf;
    private readonly object gate = new();
    private readonly List<string> order = new();
    private readonly Dictionary<string, TEntry> entries = new(StringComparer.Ordinal);

    /// <param name="noun">What an entry is, in the config's words ("encoder", "method", "modality", "dataset kind").</param>
    /// <param name="nameOf">The name an entry is registered under.</param>
    public Catalog(string noun, Func<TEntry, string> nameOf, IEnumerable<TEntry>? builtIns = null)
    {
        this.noun = noun;
        this.nameOf = nameOf;
        foreach (var entry in builtIns ?? Array.Empty<TEntry>()) Register(entry);
    }

    /// <summary>Adds <paramref name="entry"/>, or replaces the entry of the same name.</summary>
    public void Register(TEntry entry)
    {
        var name = nameOf(entry);
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException($"a {noun} needs a name", nameof(entry));
        lock (gate)
        {
            if (!entries.ContainsKey(name)) order.Add(name);
            entries[name] = entry;
        }
    }

    /// <summary>All names, in registration order.</summary>
    public IReadOnlyList<string> Names
    {
        get { lock (gate) return order.ToArray(); }
    }

    /// <summary>All entries, in registration order.</summary>
    public IReadOnlyList<TEntry> All
    {
        get { lock (gate) return order.Select(n => entries[n]).ToArray(); }
    }

    public bool Contains(string name)
    {
        lock (gate) return entries.ContainsKey(name);
    }

    public bool TryGet(string name, out TEntry entry)
    {
        lock (gate) return entries.TryGetValue(name, out entry!);
    }

    /// <summary>The entry of <paramref name="name"/>; an unknown name is refused with the known ones listed (and the
    /// right spelling when only the case differs).</summary>
    public TEntry Get(string name) => TryGet(name, out var entry) ? entry : throw new ArgumentException(Unknown(name));

    /// <summary>The refusal of an unknown name, e.g. unknown encoder "resnet5"; known: resnet18, ….</summary>
    public string Unknown(string name)
    {
        var names = Names;
        var cased = names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        return cased is not null
            ? $"unknown {noun} \"{name}\"; names are case-sensitive: did you mean \"{cased}\"?"
            : $"unknown {noun} \"{name}\"; known: {string.Join(", ", names)}";
    }
}
