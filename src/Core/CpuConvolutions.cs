namespace Vicreg.Core;

/// <summary>
/// Chooses the CPU convolution kernels: oneDNN's (libtorch's "mkldnn" switch, the fast default) where they agree
/// with float64 on this machine (<see cref="ConvolutionCheck"/>), ATen's own otherwise.
/// </summary>
/// <remarks>
/// The switch is a libtorch global, so the choice is made once per process, after libtorch has loaded; GPU
/// convolutions are not affected. A process that trains one model at a time may go on to choose per run
/// (<see cref="ForRun"/>): oneDNN where it agrees with float64 on the run's own convolutions. <see cref="Variable"/>=0 turns oneDNN off without the check, =1 keeps it without
/// the check. While the check runs, fresh CPU memory is filled with NaN (<see cref="CpuAllocatorFill"/>), so a
/// kernel that reads memory nothing has written fails it instead of passing by luck.
/// </remarks>
public static class CpuConvolutions
{
    public const string Variable = "VICREG_ONEDNN";
    public const string MemoryVariable = "VICREG_CPU_MEMORY";

    // at::globalContext() and at::Context's oneDNN and NNPACK switches, as libtorch_cpu.so exports them.
    private const string Library = "libtorch_cpu.so";
    private const string GlobalContext = "_ZN2at13globalContextEv";
    private const string SetEnabled = "_ZN2at7Context20setUserEnabledMkldnnEb";
    private const string GetEnabled = "_ZNK2at7Context17userEnabledMkldnnEv";
    private const string SetNnpack = "_ZN2at7Context20setUserEnabledNNPACKEb";
    private const string GetNnpack = "_ZNK2at7Context17userEnabledNNPACKEv";

    private static readonly object Gate = new();
    private static string? line;
    private static bool oneDnnFailedTheCheck; // oneDNN is off because of the general check: a run may still use it
    private static bool perRun;

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
            bool junk = JunkForProcess && CpuAllocatorFill.TrySetJunk(true);
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
        oneDnnFailedTheCheck = TrySetOneDnn(false);
        return oneDnnFailedTheCheck
            ? $"CPU convolutions: ATen's kernels (oneDNN's disagreed with float64 on {mismatches.Count} of {compared} shapes here, e.g. {worst}; {Variable}=1 keeps oneDNN)"
            : $"CPU convolutions: oneDNN, which disagreed with float64 on {mismatches.Count} of {compared} shapes here (e.g. {worst}), and libtorch's switch was not found";
    }

    /// <summary>The check, with fresh memory filled with NaN while it runs.</summary>
    private static (IReadOnlyList<ConvolutionMismatch>, int) CheckOnJunk(IEnumerable<ConvolutionShape>? shapes = null)
    {
        bool filled = CpuAllocatorFill.TrySetJunk(true);
        try { return ConvolutionCheck.Run(shapes: shapes); }
        finally { if (filled && !JunkForProcess) CpuAllocatorFill.TrySetJunk(false); }
    }

    /// <summary>Whether the user asked for NaN-filled fresh memory for the whole process (<see cref="MemoryVariable"/>=junk).</summary>
    private static bool JunkForProcess => NativeEnvironment.Get(MemoryVariable)?.Trim() == "junk";

    /// <summary>Lets <see cref="ForRun"/> choose the kernels for each run. Only for a process that trains one model
    /// at a time (the command line): the switch is global, and a second model training beside it would run
    /// convolutions nobody checked.</summary>
    public static void ChoosePerRun()
    {
        lock (Gate) perRun = true;
    }

    /// <summary>
    /// Where oneDNN failed the general check (and <see cref="ChoosePerRun"/> was called), checks oneDNN on the
    /// convolutions this run uses (<paramref name="shapes"/>: at their sizes; each one's channel counts must fit
    /// oneDNN's vector block, <see cref="ConvolutionShape.FitsBlock"/>) and keeps it on until the run is
    /// disposed if it agrees with float64 on every one: the general check's grid holds channel counts a model may
    /// never use, and ATen's kernels cost about twice the time. Otherwise nothing changes (null line).
    /// <paramref name="shapes"/> is only asked for when the check is made.
    /// </summary>
    public static RunConvolutions ForRun(Func<IReadOnlyCollection<ConvolutionShape>> shapes)
    {
        Apply();
        lock (Gate)
        {
            if (!perRun || !oneDnnFailedTheCheck) return new RunConvolutions(null, false);
            var used = shapes();
            if (used.Count == 0) return new RunConvolutions(null, false);
            // The faults found here were all on channel counts off oneDNN's vector block, and the check below missed one
            // of them in a network (a 1-D stem of 1 → 4 channels gave NaN in training, right in the check): such a
            // run keeps ATen's kernels without asking.
            long block = NativeEnvironment.Get(CpuKernelCap.Variable)?.Trim() == CpuKernelCap.SafeIsa ? 8 : 16;
            if (used.FirstOrDefault(s => !s.FitsBlock(block)) is { } off)
                return new RunConvolutions($"CPU convolutions for this run: ATen's kernels (the run has {off.Describe()}: not a multiple of oneDNN's {block}-channel block, where its kernels were found wrong)", false);
            if (!TrySetOneDnn(true)) return new RunConvolutions(null, false);
            var (mismatches, compared) = CheckOnJunk(used);
            if (mismatches.Count == 0)
                return new RunConvolutions($"CPU convolutions for this run: oneDNN (it agrees with float64 on all {compared} of the run's convolution shapes, at their sizes)", true);
            TrySetOneDnn(false);
            var worst = mismatches.MaxBy(m => m.RelativeError)! with { NameInput = true };
            return new RunConvolutions($"CPU convolutions for this run: ATen's kernels (oneDNN disagreed with float64 on {mismatches.Count} of the run's {compared} convolution shapes, e.g. {worst})", false);
        }
    }

    /// <summary>Ends a run's choice: the process's own again.</summary>
    internal static void EndRun()
    {
        lock (Gate) if (oneDnnFailedTheCheck) TrySetOneDnn(false);
    }

    /// <summary>Whether libtorch will run CPU convolutions through oneDNN now.</summary>
    public static bool OneDnnEnabled() => Read(GetEnabled) ?? true;

    /// <summary>Whether libtorch may run CPU convolutions through NNPACK now.</summary>
    public static bool NnpackEnabled() => Read(GetNnpack) ?? true;

    private static bool TrySetOneDnn(bool enabled) => Write(SetEnabled, enabled) && Read(GetEnabled) == enabled;

    /// <summary>Turns NNPACK off, a third CPU convolution that ATen's kernels ask about first: on processors it does
    /// not support it logs "Could not initialize NNPACK! Reason: Unsupported hardware." at every convolution it is
    /// asked about (290 lines in a 2-step run of batch 16 here; 90 from the check's float64 convolutions alone).</summary>
    private static void TurnNnpackOff() => Write(SetNnpack, false);

    /// <summary>One of at::Context's boolean getters on libtorch's global context; null where not found.</summary>
    private static unsafe bool? Read(string getter)
    {
        TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU);
        if (!TryContext(out var context) || !LoadedLibraries.TryExport(Library, getter, out var get)) return null;
        return ((delegate* unmanaged<nint, byte>)get)(context) != 0;
    }

    /// <summary>One of at::Context's boolean setters on libtorch's global context; false where not found.</summary>
    private static unsafe bool Write(string setter, bool value)
    {
        if (!TryContext(out var context) || !LoadedLibraries.TryExport(Library, setter, out var set)) return false;
        ((delegate* unmanaged<nint, byte, void>)set)(context, value ? (byte)1 : (byte)0);
        return true;
    }

    private static unsafe bool TryContext(out nint context)
    {
        context = 0;
        if (!LoadedLibraries.TryExport(Library, GlobalContext, out var global)) return false;
        context = ((delegate* unmanaged<nint>)global)();
        return true;
    }
}

/// <summary>A run's choice of CPU convolution kernels (<see cref="CpuConvolutions.ForRun"/>): <see cref="Line"/> says
/// what it chose and why (null: the process's choice holds); disposing it returns to the process's choice.</summary>
public sealed class RunConvolutions : IDisposable
{
    internal RunConvolutions(string? line, bool changed)
    {
        Line = line;
        this.changed = changed;
    }

    private bool changed;

    public string? Line { get; }

    public void Dispose()
    {
        if (changed) CpuConvolutions.EndRun();
        changed = false;
    }
}
