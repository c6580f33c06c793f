using System.Text.Json.Nodes;

namespace Vicreg.Training.Config;

/// <summary>
/// Which source gave each field of a merged config: the file itself, a file it extends, or a --set override.
/// An error is then reported against the one the user has to edit, not always the file that was named.
/// </summary>
public sealed class ConfigSources
{
    private readonly Dictionary<string, (string Source, int Order)> _byPath = new(StringComparer.Ordinal);
    private int _order;

    public ConfigSources(string fallback) => Fallback = fallback;

    /// <summary>The source of fields nobody set (defaults, required fields that are missing): the file that was named.</summary>
    public string Fallback { get; }

    /// <summary>Records <paramref name="source"/> for every field under <paramref name="node"/> (a later record wins).</summary>
    public void Record(JsonNode? node, string source, string path = "")
    {
        if (path.Length > 0) _byPath[path] = (source, _order++);
        if (node is JsonObject obj)
            foreach (var (key, value) in obj) Record(value, source, path.Length == 0 ? key : $"{path}.{key}");
    }

    public void Add(ConfigSources other)
    {
        foreach (var (path, entry) in other._byPath.OrderBy(e => e.Value.Order)) _byPath[path] = (entry.Source, _order++);
    }

    /// <summary>The source of <paramref name="field"/> ("optim.epochs", "axes[0].name"): that of the field itself or of
    /// the nearest enclosing one that was set; but when a field inside it was set later (a --set of
    /// data.audio.view_b.noise_level, refused as a problem of data.audio.view_b), that later source.</summary>
    public string For(string field)
    {
        (string Source, int Order)? found = null;
        string path = field;
        while (path.Length > 0)
        {
            if (_byPath.TryGetValue(path, out var entry)) { found = entry; break; }
            int cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            if (cut <= 0) break;
            path = path[..cut];
        }
        var inside = _byPath.Where(e => e.Key.StartsWith(field + ".", StringComparison.Ordinal) || e.Key.StartsWith(field + "[", StringComparison.Ordinal))
            .Select(e => e.Value).DefaultIfEmpty((Source: Fallback, Order: -1)).MaxBy(e => e.Order);
        if (inside.Order > (found?.Order ?? -1)) return inside.Source;
        return found?.Source ?? Fallback;
    }
}
