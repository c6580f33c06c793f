using System.Security.Cryptography;
using System.Text;

namespace Vicreg.Training.Config;

/// <summary>A short content hash of a serialised config: tells checkpoints and caches which config made them.</summary>
public static class ConfigHash
{
    public static string Of(string serializedConfig) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(serializedConfig)))[..16].ToLowerInvariant();
}
