using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vicreg.Training.Config;

/// <summary>
/// Keeps a run's training hash stable when fields are added to the config: the hashed text leaves out the default
/// method and the fields listed here at their defaults, and writes any other method in the flat form that holds all of
/// <see cref="Legacy"/>'s fields, which is how existing runs' config.json files hash. So a run and its feature caches
/// still match their config after an upgrade, and resuming it does not start over.
/// </summary>
public static class MethodDefaults
{
    /// <summary>The fields that the flat `method` record held for every method, in its order, with their defaults.</summary>
    public static readonly IReadOnlyList<(string Field, double Default)> Legacy = new[]
    {
        ("temperature", 0.1), ("tau", 0.99), ("off_diagonal", 0.0051), ("var_coeff", 0.0), ("cov_coeff", 0.0),
    };

    private static readonly string DefaultMethod = JsonSerializer.Serialize(new MethodConfig(), ConfigLoader.Json);

    /// <summary>One of those fields at its default, as existing runs' config.json files hold it for every method.</summary>
    public static bool IsLegacyDefault(string field, JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.Number
        && Legacy.Any(l => l.Field == field && l.Default == v.GetValue<double>());

    public static string WithoutDefaults(string serializedConfig)
    {
        if (JsonNode.Parse(serializedConfig) is not JsonObject root) return serializedConfig;
        if (root["method"] is JsonObject method)
        {
            if (JsonNode.DeepEquals(method, JsonNode.Parse(DefaultMethod))) root.Remove("method");
            else root["method"] = InLegacyForm(method);
        }
        // Data settings at their defaults give the same batches as a config without them, so they leave the hash alone.
        if (root["data"] is JsonObject data)
        {
            if (data["empty_classes"]?.GetValue<string>() == "refuse") data.Remove("empty_classes");
            if (data["truncated_images"]?.GetValue<string>() == "skip") data.Remove("truncated_images");
            if (data["decode"]?.GetValue<string>() == "exact") data.Remove("decode");
            if (data["augment_on"]?.GetValue<string>() == "host") data.Remove("augment_on");
            if (data[ConfigLoader.FieldName(nameof(DataConfig.Audio))] is JsonObject audio && audio["label_level"]?.GetValue<int>() == 1) audio.Remove("label_level");
        }
        if (root["model"] is JsonObject model)
            foreach (var key in new[] { "branch_a", "branch_b" })
                if (model[key] is JsonObject branch)
                {
                    if (branch["expander_batch_norm"]?.GetValue<bool>() == true) branch.Remove("expander_batch_norm");
                    if (branch["normalize_embedding"]?.GetValue<bool>() == false) branch.Remove("normalize_embedding");
                }
        return root.ToJsonString(ConfigLoader.Json);
    }

    /// <summary>name, then every legacy field (the method's value or the old default), then the method's other fields.</summary>
    private static JsonObject InLegacyForm(JsonObject method)
    {
        var legacy = new JsonObject { ["name"] = method["name"]?.DeepClone() };
        foreach (var (field, value) in Legacy) legacy[field] = method[field]?.DeepClone() ?? JsonValue.Create(value);
        foreach (var (key, value) in method)
            if (!legacy.ContainsKey(key)) legacy[key] = value?.DeepClone();
        return legacy;
    }
}
