namespace Vicreg.Core;

/// <summary>
/// Runs CPU convolutions through ATen's own kernels instead of oneDNN (libtorch's "mkldnn" switch).
/// </summary>
/// <remarks>
/// Why: with libtorch 2.10 on this project's build machine (AMD EPYC, 2 cores), oneDNN's convolution backward
/// returned NaN weight gradients now and then while the loss and the inputs were finite, more often the busier the
/// machine: 22 of 300 tiny runs (ResNet-18 width 4, batch 4, 2 libtorch threads, in sequence) at load 15–18, and
/// 0 of 150 with oneDNN off (the on-demand <c>GcPressureStressTests.TinyRunsTrainSideBySide</c>). It also failed
/// with one libtorch thread, and with the AVX2 cap of <see cref="CpuKernelCap"/> in force. The switch is a libtorch
/// global, so it is set once per process, after libtorch has loaded; GPU convolutions are not affected.
/// The cost is speed: the image quickstart trained at 311–334 samples/s with ATen's kernels against 873–901 with
/// oneDNN (1 min 56 s against 50 s wall, load 1.5–1.8). So the switch applies only on the processors where the NaN was
/// seen (AMD with AVX-512, <see cref="CpuKernelCap.NeedsCap"/>); <see cref="Variable"/>=1 keeps oneDNN on there,
/// <see cref="Variable"/>=0 turns it off anywhere.
/// </remarks>
public static unsafe class CpuConvolutions
{
    public const string Variable = "VICREG_ONEDNN";

    // at::globalContext() and at::Context::setUserEnabledMkldnn(bool) / userEnabledMkldnn(), as libtorch_cpu.so exports them.
    private const string GlobalContext = "_ZN2at13globalContextEv";
    private const string SetEnabled = "_ZN2at7Context20setUserEnabledMkldnnEb";
    private const string GetEnabled = "_ZNK2at7Context17userEnabledMkldnnEv";

    private static readonly object Gate = new();
    private static string? line;

    /// <summary>Turns oneDNN convolutions off on the affected processors, or wherever <see cref="Variable"/>=0, unless
    /// <see cref="Variable"/>=1 (idempotent); returns the line saying what is in force.</summary>
    public static string Apply()
    {
        lock (Gate)
        {
            if (line is not null) return line;
            TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU);
            if (!TurnsOneDnnOff())
                return line = NativeEnvironment.Get(Variable)?.Trim() == "1" ? $"CPU convolutions: oneDNN ({Variable}=1)" : "CPU convolutions: oneDNN";
            if (!TryBind(out var context, out var set, out var get))
                return line = "CPU convolutions: oneDNN (libtorch's switch was not found on this platform)";
            set(context(), 0);
            return line = get(context()) == 0
                ? $"CPU convolutions: ATen's kernels (oneDNN's gave NaN gradients under load; {Variable}=1 keeps oneDNN)"
                : "CPU convolutions: oneDNN (libtorch did not accept the switch)";
        }
    }

    /// <summary>The rule: off where <see cref="Variable"/>=0, or on an affected processor unless <see cref="Variable"/>=1.</summary>
    public static bool TurnsOneDnnOff()
    {
        string? choice = NativeEnvironment.Get(Variable)?.Trim();
        return choice == "0" || choice != "1" && CpuKernelCap.OnAffectedProcessor();
    }

    /// <summary>Whether libtorch will run CPU convolutions through oneDNN now.</summary>
    public static bool OneDnnEnabled()
    {
        TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU);
        return !TryBind(out var context, out _, out var get) || get(context()) != 0;
    }

    private static bool TryBind(out delegate* unmanaged<nint> context, out delegate* unmanaged<nint, byte, void> set,
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
