using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Vicreg.Training.Config;

/// <summary>
/// Reads an experiment file, applies --set overrides ("optim.base_lr=0.3"), checks the tree against the records' shape
/// (<see cref="ConfigShape"/>: unknown fields, wrong types; each catalog entry's own section by <see cref="EntrySections"/>), deserialises into typed records and validates ranges. Every error names the file and the field.
/// </summary>
public static class ConfigLoader
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The name a record's property has in the file ("BranchA" → "branch_a").</summary>
    public static string FieldName(string property) => Json.PropertyNamingPolicy!.ConvertName(property);

    public static ExperimentConfig LoadFile(string path, IEnumerable<string>? overrides = null)
    {
        var (tree, sources) = ConfigInheritance.Read(path);
        return FromTree(tree, sources, overrides);
    }

    /// <summary>Parses JSON text; <paramref name="source"/> is the name used in error messages. An <c>extends</c>
    /// path is taken relative to <paramref name="folder"/> (default: the current folder).</summary>
    /// <param name="overridesSource">Who gave the overrides, for errors (an ablation grid's point); null: the user, as "--set key=value".</param>
    public static ExperimentConfig Parse(string json, string source, IEnumerable<string>? overrides = null, string? folder = null, string? overridesSource = null)
    {
        var (tree, sources) = ConfigInheritance.Resolve(ConfigInheritance.ParseObject(json, source), source, folder ?? Directory.GetCurrentDirectory());
        return FromTree(tree, sources, overrides, overridesSource);
    }

    /// <summary>Applies the overrides to a merged tree, checks, reads and validates it; an error names the source
    /// of the field at fault (the file, a file it extends, or the --set that gave it).</summary>
    private static ExperimentConfig FromTree(JsonObject obj, ConfigSources sources, IEnumerable<string>? overrides, string? overridesSource = null)
    {
        string source = sources.Fallback;
        try
        {
            foreach (var o in overrides ?? Array.Empty<string>()) ApplyOverride(obj, o, sources, overridesSource);
            DerivedDefaults.Apply(obj);
            EntrySections.Taken entries;
            try
            {
                entries = EntrySections.TakeOut(obj, Json);
            }
            catch (JsonException e)
            {
                throw ConfigShape.Explain(e, source, "", Json);
            }
            ConfigShape.Check(obj, typeof(ExperimentConfig), Json, source);
            ExperimentConfig? config;
            try
            {
                config = obj.Deserialize<ExperimentConfig>(Json);
            }
            catch (JsonException e)
            {
                throw ConfigShape.Explain(e, source, "", Json);
            }
            if (config is null) throw new ConfigException(source, "(root)", "is empty");
            config = EntrySections.PutIn(config, entries);
            ConfigValidator.Validate(config, source);
            return config;
        }
        catch (ConfigException e) when (e.File == source && sources.For(e.Field) is var owner && owner != source)
        {
            throw new ConfigException(owner, e.Field, e.Problem);
        }
    }

    /// <summary>The resolved config as it is written to runs/&lt;name&gt;/config.json.</summary>
    public static string Serialize(ExperimentConfig config)
    {
        var root = (JsonObject)JsonSerializer.SerializeToNode(config, Json)!;
        EntrySections.WriteBack(root, config, Json);
        return root.ToJsonString(Json);
    }

    private static void ApplyOverride(JsonObject root, string assignment, ConfigSources sources, string? overridesSource)
    {
        string source = overridesSource ?? $"--set {assignment}";
        int eq = assignment.IndexOf('=');
        if (eq <= 0) throw new ConfigException(overridesSource ?? "--set", assignment, "an override must look like key.path=value, e.g. optim.base_lr=0.3");
        string path = assignment[..eq].Trim();
        string raw = assignment[(eq + 1)..].Trim();
        var keys = path.Split('.');
        JsonObject node = root;
        for (int i = 0; i < keys.Length - 1; i++)
        {
            if (node[keys[i]] is JsonObject child) node = child;
            else if (node[keys[i]] is null) { child = new JsonObject(); node[keys[i]] = child; node = child; }
            else throw new ConfigException(source, path, $"'{keys[i]}' is not an object, so it has no field '{keys[i + 1]}'");
        }
        node[keys[^1]] = ParseValue(raw);
        sources.Record(node[keys[^1]], source, path);
    }

    /// <summary>Numbers, booleans, null, objects and arrays as JSON; anything else as a string.</summary>
    private static JsonNode? ParseValue(string raw)
    {
        try { return JsonNode.Parse(raw); }
        catch (JsonException) { return JsonValue.Create(raw); }
    }
}
