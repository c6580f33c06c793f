namespace Vicreg.Core;

/// <summary>
/// Caps libtorch's CPU kernels at AVX2 on AMD processors with AVX-512 (Zen 4 and later): oneDNN's (the convolutions)
/// through DNNL_MAX_CPU_ISA, and ATen's own vectorised kernels through ATEN_CPU_CAPABILITY.
/// On such a machine (an AMD EPYC with avx512f/bf16/vnni) the convolution backward of libtorch 2.10's oneDNN gave
/// NaN weight gradients within the first three steps of the image quickstart whenever its AVX-512 kernels were
/// allowed (DNNL_MAX_CPU_ISA=AVX512_CORE and AVX512_CORE_BF16 both failed, at a different step each run), while
/// the forward loss stayed finite; with AVX2 kernels the same run trained normally. With oneDNN capped alone, a tiny
/// run (width 4, batch 4: RunInterruptionTests) still diverged at step 0 in 3 of 10 tries, and in 0 of 10 with ATen
/// capped too. The cause was later found to be oneDNN reading channel padding that libtorch never wrote, which
/// the AVX2 block of 8 channels hides at widths that are multiples of 8 (<see cref="ConvolutionCheck"/> now
/// decides between oneDNN and ATen by measurement); the cap stays until its removal is measured. Both libraries read their variable once, at their first kernel, so <see cref="SharedMachine.Prepare"/>
/// sets them before any TorchSharp call. A value already in the environment is the user's and is kept.
/// </summary>
public static class CpuKernelCap
{
    public const string Variable = "DNNL_MAX_CPU_ISA";
    public const string SafeIsa = "AVX2";
    public const string AtenVariable = "ATEN_CPU_CAPABILITY";
    public const string AtenSafe = "avx2";

    /// <summary>Whether this processor is one where the cap applies: AMD, with AVX-512 (from /proc/cpuinfo).</summary>
    public static bool NeedsCap(string cpuinfo) =>
        cpuinfo.Contains("AuthenticAMD", StringComparison.Ordinal) && cpuinfo.Contains(" avx512f", StringComparison.Ordinal);

    /// <summary>Sets the cap where it applies and the user has not set the variable; returns the line to show
    /// (null when nothing was set).</summary>
    public static string? Apply()
    {
        if (!string.IsNullOrEmpty(NativeEnvironment.Get(Variable))) return null;
        if (!OnAffectedProcessor()) return null;
        NativeEnvironment.SetDefault(Variable, SafeIsa);
        NativeEnvironment.SetDefault(AtenVariable, AtenSafe);
        return $"CPU kernels capped at AVX2 ({Variable}, {AtenVariable}): their AVX-512 versions give NaN gradients on AMD processors with AVX-512";
    }

    /// <summary>Whether this machine's processor is one where the cap applies (Linux; false elsewhere).</summary>
    public static bool OnAffectedProcessor()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/cpuinfo")) return false;
        using var reader = new StreamReader("/proc/cpuinfo");
        return NeedsCap(ReadFirstProcessor(reader));
    }

    /// <summary>The first processor's block: the vendor and the flags are the same for every core.</summary>
    private static string ReadFirstProcessor(TextReader reader)
    {
        var lines = new System.Text.StringBuilder();
        string? line;
        while ((line = reader.ReadLine()) is not null && line.Length > 0) lines.Append(line).Append('\n');
        return lines.ToString();
    }
}
