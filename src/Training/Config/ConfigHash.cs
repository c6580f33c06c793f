using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Vicreg.Training.Config;

/// <summary>A short content hash of a serialised config: tells checkpoints and caches which config made them.</summary>
public static class ConfigHash
{
    public static string Of(string serializedConfig) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(serializedConfig)))[..16].ToLowerInvariant();

    /// <summary>The hash of what shapes training: evaluation, output settings, the worker count (batches
    /// do not depend on it) and the thread count are left out, so changing them does not look like a different run.</summary>
    public static string OfTraining(ExperimentConfig c) => Of(TrainingText(c));

    /// <summary>The text that <see cref="OfTraining"/> hashes: the config less what does not shape training.</summary>
    public static string TrainingText(ExperimentConfig c) =>
        WithoutNewDefaults(MethodDefaults.WithoutDefaults(ConfigLoader.Serialize(c with { TorchThreads = 0, Eval = new EvalConfig(), Output = new OutputConfig(), Data = c.Data with { Workers = 1, Prefetch = 2 } })));

    /// <summary>torch_threads is never part of the hash, and data.synthetic.clutter only when it is off, so runs
    /// made before these fields existed still match.</summary>
    private static readonly (string Section, string[] Keys)[] LegacySections =
    {
        ("eval", new[] { "linear_probe", "compare_random_init", "epochs", "lr", "weight_decay", "batch_size", "diagnostics",
                         "diagnostics_samples", "knn_every", "knn_k", "knn_temperature" }),
        ("output", new[] { "runs_dir", "keep_checkpoints", "checkpoint_every_steps", "tensorboard", "plots" }),
    };

    static string WithoutNewDefaults(string json)
    {
        if (JsonNode.Parse(json) is not JsonObject root) return json;
        root.Remove("torch_threads");
        LegacyViewFields.ToLegacyForm(root);
        // Evaluation and output are reset to their defaults before hashing; fields added to them later carry nothing,
        // so only the ones the first hashes held stay in the text.
        foreach (var (section, legacy) in LegacySections)
            if (root[section] is JsonObject o)
                foreach (var key in o.Select(p => p.Key).Where(k => !legacy.Contains(k)).ToList()) o.Remove(key);
        if (root["data"]?["synthetic"] is JsonObject s && s["clutter"]?.GetValue<bool>() == true) s.Remove("clutter");
        return root.ToJsonString(ConfigLoader.Json);
    }
}
