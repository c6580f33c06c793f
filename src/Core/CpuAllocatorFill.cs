namespace Vicreg.Core;

/// <summary>
/// c10's <c>caffe2_cpu_allocator_do_junk_fill</c>, the process-wide flag that every CPU tensor allocation reads
/// (libc10.so exports it as a one-byte global): when set, fresh memory holds 0x7fedbeef, a NaN as float32, so a read
/// of memory that was never written shows as NaN. Its sibling, the zero fill, wins over it, so that one is cleared.
/// </summary>
public static unsafe class CpuAllocatorFill
{
    private const string Library = "libc10.so";
    private const string ZeroFlag = "FLAGS_caffe2_cpu_allocator_do_zero_fill";
    private const string JunkFlag = "FLAGS_caffe2_cpu_allocator_do_junk_fill";

    /// <summary>Turns the NaN fill on or off; false where libc10 or its flags are not found (then nothing changed).</summary>
    public static bool TrySetJunk(bool on)
    {
        TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU);
        if (!LoadedLibraries.TryExport(Library, ZeroFlag, out var zero) || !LoadedLibraries.TryExport(Library, JunkFlag, out var junk))
            return false;
        *(byte*)zero = 0;
        *(byte*)junk = on ? (byte)1 : (byte)0;
        return true;
    }
}
