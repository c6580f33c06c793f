using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vicreg.Training.Config;

/// <summary>
/// <c>"extends": "base.json"</c> in a config (the path relative to the file that says it): the base is read first,
/// then this file's fields are merged over it, objects field by field and anything else replaced whole. Bases may
/// extend further bases; a cycle is refused. The merged tree is then checked as one config.
/// </summary>
public static class ConfigInheritance
{
    public const string Field = "extends";

    /// <summary>The tree of <paramref name="path"/> with its bases merged in, and where each field came from.</summary>
    public static (JsonObject Tree, ConfigSources Sources) Read(string path) =>
        Read(path, new List<string>());

    /// <summary>Resolves an <c>extends</c> in a tree that was not read from a file (an ablation grid's inline base);
    /// its path is taken relative to <paramref name="folder"/>.</summary>
    public static (JsonObject Tree, ConfigSources Sources) Resolve(JsonObject tree, string source, string folder) =>
        Resolve(tree, source, folder, new List<string>());

    /// <summary>A JSON object, or a <see cref="ConfigException"/> naming the file and the line.</summary>
    public static JsonObject ParseObject(string json, string source)
    {
        JsonNode? root;
        try
        {
            // A field given twice is refused here, with its line (JsonObject would otherwise fail later with a bare ArgumentException).
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is long line ? $"line {line + 1}" : e.Path is { Length: > 1 } p ? p.TrimStart('$', '.') : "(root)";
            throw new ConfigException(source, where, $"not valid JSON ({ConfigShape.FirstSentence(e.Message)})");
        }
        return root as JsonObject ?? throw new ConfigException(source, "(root)", "must be a JSON object");
    }

    private static (JsonObject, ConfigSources) Read(string path, List<string> chain)
    {
        if (!File.Exists(path)) throw new ConfigException(path, "(file)", "no such file");
        var tree = ParseObject(File.ReadAllText(path), path);
        return Resolve(tree, path, Path.GetDirectoryName(Path.GetFullPath(path))!, chain);
    }

    private static (JsonObject, ConfigSources) Resolve(JsonObject tree, string source, string folder, List<string> chain)
    {
        var sources = new ConfigSources(source);
        if (!tree.ContainsKey(Field))
        {
            sources.Record(tree, source);
            return (tree, sources);
        }
        if (tree[Field] is not JsonValue v || !v.TryGetValue<string>(out var relative) || string.IsNullOrWhiteSpace(relative))
            throw new ConfigException(source, Field, "must be the path of a config file to start from, e.g. \"extends\": \"../quickstart.json\"");
        string basePath = Path.GetFullPath(Path.Combine(folder, relative));
        string me = File.Exists(source) ? Path.GetFullPath(source) : source;
        if (chain.Contains(basePath) || basePath == me)
            throw new ConfigException(source, Field, $"{relative} extends this file again ({string.Join(" → ", chain.Append(me).Append(basePath).Select(Path.GetFileName))})");
        if (!File.Exists(basePath)) throw new ConfigException(source, Field, $"no such file: {basePath} (a path relative to this file's folder)");
        var (baseTree, baseSources) = Read(basePath, chain.Append(me).ToList());
        tree.Remove(Field);
        Merge(baseTree, tree);
        sources.Add(baseSources);
        sources.Record(tree, source);
        return (baseTree, sources);
    }

    /// <summary>Merges <paramref name="over"/> into <paramref name="into"/>: objects field by field, other values replaced.</summary>
    public static void Merge(JsonObject into, JsonObject over)
    {
        foreach (var (key, value) in over.ToList())
        {
            if (value is JsonObject child && into[key] is JsonObject existing) Merge(existing, child);
            else into[key] = value?.DeepClone();
        }
    }
}
