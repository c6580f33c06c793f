using System.Text.Json.Nodes;

namespace Vicreg.Training.Config;

/// <summary>
/// Which source gave each field of a merged config: the file itself, a file it extends, or a --set override.
/// An error is then reported against the one the user has to edit, not always the file that was named.
/// </summary>
public sealed class ConfigSources
{
    private readonly Dictionary<string, string> _byPath = new(StringComparer.Ordinal);

    public ConfigSources(string fallback) => Fallback = fallback;

    /// <summary>The source of fields nobody set (defaults, required fields that are missing): the file that was named.</summary>
    public string Fallback { get; }

    /// <summary>Records <paramref name="source"/> for every field under <paramref name="node"/> (a later record wins).</summary>
    public void Record(JsonNode? node, string source, string path = "")
    {
        if (path.Length > 0) _byPath[path] = source;
        if (node is JsonObject obj)
            foreach (var (key, value) in obj) Record(value, source, path.Length == 0 ? key : $"{path}.{key}");
    }

    public void Add(ConfigSources other)
    {
        foreach (var (path, source) in other._byPath) _byPath[path] = source;
    }

    /// <summary>The source of <paramref name="field"/> ("optim.epochs", "axes[0].name"): that of the field itself or of
    /// the nearest enclosing one that was set.</summary>
    public string For(string field)
    {
        string path = field;
        while (path.Length > 0)
        {
            if (_byPath.TryGetValue(path, out var source)) return source;
            int cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            if (cut <= 0) break;
            path = path[..cut];
        }
        return Fallback;
    }
}
