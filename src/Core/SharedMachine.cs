namespace Vicreg.Core;

/// <summary>
/// Makes libtorch a good neighbour on a shared CPU. libgomp's threads spin at every barrier before they
/// sleep, which starves other processes and this process's own loader workers: two trainings at once on
/// 2 cores took 7.6× one alone, against 1.7× with OMP_WAIT_POLICY=PASSIVE. libgomp reads the variable
/// once, when libtorch loads, so <see cref="Prepare"/> must run before the first use of TorchSharp (every
/// entry point calls it first). A value already in the environment is kept: that is the user's override.
/// </summary>
public static class SharedMachine
{
    public const string WaitPolicyVariable = "OMP_WAIT_POLICY";
    public const string DefaultWaitPolicy = "PASSIVE";

    /// <summary>The wait policy in force after <see cref="Prepare"/> (null before).</summary>
    public static string? WaitPolicy { get; private set; }

    /// <summary>The line saying that libtorch's CPU kernels were capped at AVX2 (see <see cref="CpuKernelCap"/>), or null.</summary>
    public static string? IsaCap { get; private set; }

    /// <summary>True when <see cref="Prepare"/> ran after libtorch had loaded, so libgomp did not see it.</summary>
    public static bool TooLate { get; private set; }

    /// <summary>Sets OMP_WAIT_POLICY=PASSIVE in the native environment unless it is set, and caps libtorch's CPU kernels where their
    /// AVX-512 versions are wrong (<see cref="CpuKernelCap"/>); idempotent.
    /// Returns the policy in force.</summary>
    public static string Prepare()
    {
        if (WaitPolicy is not null) return WaitPolicy;
        bool wasSet = !string.IsNullOrEmpty(NativeEnvironment.Get(WaitPolicyVariable));
        TooLate = !wasSet && LoadedLibraries.Mapped("libtorch_cpu.so").Count > 0;
        IsaCap = CpuKernelCap.Apply();
        return WaitPolicy = NativeEnvironment.SetDefault(WaitPolicyVariable, DefaultWaitPolicy);
    }

    /// <summary>"OpenMP wait policy PASSIVE", with a warning when it came too late to take effect.</summary>
    public static string DefaultWaitPolicyLine()
    {
        string policy = WaitPolicy ?? NativeEnvironment.Get(WaitPolicyVariable) ?? "unset (libgomp spins)";
        return TooLate || WaitPolicy is null && LoadedLibraries.Mapped("libtorch_cpu.so").Count > 0 && policy.StartsWith("unset")
            ? $"OpenMP wait policy {policy}: set too late, libtorch had already loaded (call SharedMachine.Prepare() first)"
            : $"OpenMP wait policy {policy}" + (IsaCap is null ? "" : $"; {IsaCap}");
    }
}
