using System.CommandLine;

namespace Vicreg.Cli.Commands;

/// <summary>--device and --precision: shorthands for --set device=… and --set precision=…, applied last so they win.</summary>
internal static class DeviceOptions
{
    public static Option<string?> Device() => new("--device")
    {
        Description = "auto, cpu, cuda or cuda:N; overrides the config's device (auto takes the GPU when one is visible)",
    };

    public static Option<string?> Precision() => new("--precision")
    {
        Description = "fp32 or bf16 (autocast forward in bfloat16, loss in fp32); overrides the config's precision",
    };

    /// <summary>The --set list with the flags appended as overrides.</summary>
    public static string[] Overrides(string[]? sets, string? device, string? precision = null)
    {
        var all = (sets ?? Array.Empty<string>()).ToList();
        if (!string.IsNullOrWhiteSpace(device)) all.Add($"device={device}");
        if (!string.IsNullOrWhiteSpace(precision)) all.Add($"precision={precision}");
        return all.ToArray();
    }
}
