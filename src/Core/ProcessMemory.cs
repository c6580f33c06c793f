namespace Vicreg.Core;

/// <summary>This process's peak resident memory, as the kernel counts it (VmHWM in /proc/self/status): what a
/// workstation must have free, as opposed to what .NET's or libtorch's allocators think they hold.</summary>
public static class ProcessMemory
{
    /// <summary>Set to 1 to have vicreg print "peak resident memory: N MiB" on exit (used by the memory tests and CI).</summary>
    public const string ReportVariable = "VICREG_PEAK_MEMORY";

    /// <summary>Peak resident bytes so far, or null where /proc is not there.</summary>
    public static long? PeakResidentBytes()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return null;
        foreach (var line in File.ReadLines(status))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal)
                && long.TryParse(line["VmHWM:".Length..].Trim().Split(' ')[0], out long kib))
                return kib * 1024;
        return null;
    }

    /// <summary>"peak resident memory: 312 MiB", or null where it cannot be read.</summary>
    public static string? PeakLine() => PeakResidentBytes() is { } b ? $"peak resident memory: {b / (1 << 20)} MiB" : null;
}
