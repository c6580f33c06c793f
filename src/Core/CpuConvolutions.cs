namespace Vicreg.Core;

/// <summary>
/// Chooses the CPU convolution kernels: oneDNN's (libtorch's "mkldnn" switch, the fast default) where they agree
/// with float64 on this machine (<see cref="ConvolutionCheck"/>), ATen's own otherwise.
/// </summary>
/// <remarks>
/// The switch is a libtorch global, so the choice is made once per process, after libtorch has loaded; GPU
/// convolutions are not affected. <see cref="Variable"/>=0 turns oneDNN off without the check, =1 keeps it without
/// the check. While the check runs, fresh CPU memory is filled with NaN (<see cref="CpuAllocatorFill"/>), so a
/// kernel that reads memory nothing has written fails it instead of passing by luck.
/// </remarks>
public static class CpuConvolutions
{
    public const string Variable = "VICREG_ONEDNN";
    public const string MemoryVariable = "VICREG_CPU_MEMORY";

    // at::globalContext() and at::Context::setUserEnabledMkldnn(bool) / userEnabledMkldnn(), as libtorch_cpu.so exports them.
    private const string GlobalContext = "_ZN2at13globalContextEv";
    private const string SetEnabled = "_ZN2at7Context20setUserEnabledMkldnnEb";
    private const string GetEnabled = "_ZNK2at7Context17userEnabledMkldnnEv";
    private const string SetNnpack = "_ZN2at7Context20setUserEnabledNNPACKEb";
    private const string GetNnpack = "_ZNK2at7Context17userEnabledNNPACKEv";

    private static readonly object Gate = new();
    private static string? line;

    /// <summary>Makes the choice (idempotent); returns the line saying what is in force and why.
    /// <see cref="MemoryVariable"/>=junk also fills all fresh CPU memory with NaN for the process, to find reads of
    /// memory never written.</summary>
    public static string Apply()
    {
        lock (Gate)
        {
            if (line is not null) return line;
            TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU);
            string choice = Choose();
            bool junk = NativeEnvironment.Get(MemoryVariable)?.Trim() == "junk" && CpuAllocatorFill.TrySet(CpuFill.Junk);
            return line = choice + (junk ? $"; fresh CPU memory filled with NaN ({MemoryVariable}=junk)" : "");
        }
    }

    private static string Choose()
    {
        TurnNnpackOff();
        string? choice = NativeEnvironment.Get(Variable)?.Trim();
        if (choice == "0")
            return TrySetOneDnn(false) ? $"CPU convolutions: ATen's kernels ({Variable}=0)" : "CPU convolutions: oneDNN (libtorch's switch was not found)";
        if (!OneDnnEnabled()) return "CPU convolutions: ATen's kernels (this libtorch has no oneDNN)";
        if (choice == "1") return $"CPU convolutions: oneDNN ({Variable}=1, not checked)";
        var (mismatches, compared) = CheckOnJunk();
        if (mismatches.Count == 0) return $"CPU convolutions: oneDNN (agrees with float64 on {compared} shapes)";
        var worst = mismatches.MaxBy(m => m.RelativeError)!;
        return TrySetOneDnn(false)
            ? $"CPU convolutions: ATen's kernels (oneDNN's disagreed with float64 on {mismatches.Count} of {compared} shapes here, e.g. {worst}; {Variable}=1 keeps oneDNN)"
            : $"CPU convolutions: oneDNN, which disagreed with float64 on {mismatches.Count} of {compared} shapes here (e.g. {worst}), and libtorch's switch was not found";
    }

    /// <summary>The check, with fresh memory filled with NaN while it runs.</summary>
    private static (IReadOnlyList<ConvolutionMismatch>, int) CheckOnJunk()
    {
        bool filled = CpuAllocatorFill.TrySet(CpuFill.Junk);
        try { return ConvolutionCheck.Run(); }
        finally { if (filled) CpuAllocatorFill.TrySet(CpuFill.None); }
    }

    /// <summary>Whether oneDNN is off by the user's say-so (<see cref="Variable"/>=0).</summary>
    public static bool TurnsOneDnnOff() => NativeEnvironment.Get(Variable)?.Trim() == "0";

    /// <summary>Whether libtorch will run CPU convolutions through oneDNN now.</summary>
    public static unsafe bool OneDnnEnabled()
    {
        TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU);
        return !TryBind(out var context, out _, out var get) || get(context()) != 0;
    }

    private static unsafe bool TrySetOneDnn(bool enabled)
    {
        if (!TryBind(out var context, out var set, out var get)) return false;
        set(context(), enabled ? (byte)1 : (byte)0);
        return (get(context()) != 0) == enabled;
    }

    /// <summary>Turns NNPACK off, a third CPU convolution that ATen's kernels ask about first: on processors it does
    /// not support it logs "Could not initialize NNPACK! Reason: Unsupported hardware." at every convolution it is
    /// asked about (290 lines in a 2-step run of batch 16 here; 90 from the check's float64 convolutions alone).</summary>
    private static unsafe void TurnNnpackOff()
    {
        if (TryBind(out var context, out _, out _) && TryExport(SetNnpack, out var set))
            ((delegate* unmanaged<nint, byte, void>)set)(context(), 0);
    }

    /// <summary>Whether libtorch may run CPU convolutions through NNPACK now.</summary>
    public static unsafe bool NnpackEnabled()
    {
        TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU);
        return !TryBind(out var context, out _, out _) || !TryExport(GetNnpack, out var get) || ((delegate* unmanaged<nint, byte>)get)(context()) != 0;
    }

    private static bool TryExport(string name, out nint address)
    {
        address = 0;
        var lib = LoadedLibraries.FindLoaded("libtorch_cpu.so");
        return lib != 0 && System.Runtime.InteropServices.NativeLibrary.TryGetExport(lib, name, out address);
    }

    private static unsafe bool TryBind(out delegate* unmanaged<nint> context, out delegate* unmanaged<nint, byte, void> set,
        out delegate* unmanaged<nint, byte> get)
    {
        context = null; set = null; get = null;
        var lib = LoadedLibraries.FindLoaded("libtorch_cpu.so");
        if (lib == 0
            || !System.Runtime.InteropServices.NativeLibrary.TryGetExport(lib, GlobalContext, out var c)
            || !System.Runtime.InteropServices.NativeLibrary.TryGetExport(lib, SetEnabled, out var s)
            || !System.Runtime.InteropServices.NativeLibrary.TryGetExport(lib, GetEnabled, out var g))
            return false;
        context = (delegate* unmanaged<nint>)c;
        set = (delegate* unmanaged<nint, byte, void>)s;
        get = (delegate* unmanaged<nint, byte>)g;
        return true;
    }
}
