using System.Security.Cryptography;
using System.Text;

namespace Vicreg.Training.Config;

/// <summary>A short content hash of a serialised config: tells checkpoints and caches which config made them.</summary>
public static class ConfigHash
{
    public static string Of(string serializedConfig) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(serializedConfig)))[..16].ToLowerInvariant();

    /// <summary>The hash of what shapes training: evaluation, output settings and the worker count (batches
    /// do not depend on it) are left out, so changing them does not look like a different run.</summary>
    public static string OfTraining(ExperimentConfig c) =>
        Of(MethodDefaults.WithoutDefaults(ConfigLoader.Serialize(c with { Eval = new EvalConfig(), Output = new OutputConfig(), Data = c.Data with { Workers = 1, Prefetch = 2 } })));
}
