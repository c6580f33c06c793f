using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vicreg.Training.Config;

/// <summary>
/// Keeps training hashes of VICReg runs as they were before the `method` section and the branch fields of
/// the ablations existed: while those are at their defaults they are left out of the hashed text, so runs and
/// feature caches from earlier versions still match their configs.
/// </summary>
public static class MethodDefaults
{
    private static readonly string DefaultMethod = JsonSerializer.Serialize(new MethodConfig(), ConfigLoader.Json);

    public static string WithoutDefaults(string serializedConfig)
    {
        if (JsonNode.Parse(serializedConfig) is not JsonObject root) return serializedConfig;
        if (root["method"] is JsonNode method && JsonNode.DeepEquals(method, JsonNode.Parse(DefaultMethod))) root.Remove("method");
        if (root["model"] is JsonObject model)
            foreach (var key in new[] { "branch_a", "branch_b" })
                if (model[key] is JsonObject branch)
                {
                    if (branch["expander_batch_norm"]?.GetValue<bool>() == true) branch.Remove("expander_batch_norm");
                    if (branch["normalize_embedding"]?.GetValue<bool>() == false) branch.Remove("normalize_embedding");
                }
        return root.ToJsonString(ConfigLoader.Json);
    }
}
