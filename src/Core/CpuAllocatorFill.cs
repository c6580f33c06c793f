namespace Vicreg.Core;

/// <summary>What libtorch's CPU allocator writes into memory it hands out (c10's two allocator flags).</summary>
public enum CpuFill
{
    /// <summary>Nothing: the memory holds whatever it held before (libtorch's default).</summary>
    None,
    /// <summary>0x7fedbeef, a NaN as float32: a read of memory that was never written then shows as NaN.</summary>
    Junk,
}

/// <summary>
/// Sets c10's <c>caffe2_cpu_allocator_do_zero_fill</c> and <c>caffe2_cpu_allocator_do_junk_fill</c>, the process-wide
/// flags that every CPU tensor allocation reads (libc10.so exports them as one-byte globals). Zero fill wins over junk
/// when both are set, so it is kept off here.
/// </summary>
public static unsafe class CpuAllocatorFill
{
    private const string ZeroFlag = "FLAGS_caffe2_cpu_allocator_do_zero_fill";
    private const string JunkFlag = "FLAGS_caffe2_cpu_allocator_do_junk_fill";

    /// <summary>Sets the fill; false where libc10 or its flags are not found (then nothing was changed).</summary>
    public static bool TrySet(CpuFill fill)
    {
        if (!TryBind(out var zero, out var junk)) return false;
        *zero = 0;
        *junk = fill == CpuFill.Junk ? (byte)1 : (byte)0;
        return true;
    }

    /// <summary>The fill in force now (None where the flags are not found).</summary>
    public static CpuFill Current() => TryBind(out var zero, out var junk) && *zero == 0 && *junk != 0 ? CpuFill.Junk : CpuFill.None;

    private static bool TryBind(out byte* zero, out byte* junk)
    {
        zero = null; junk = null;
        TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU);
        var lib = LoadedLibraries.FindLoaded("libc10.so");
        if (lib == 0
            || !System.Runtime.InteropServices.NativeLibrary.TryGetExport(lib, ZeroFlag, out var z)
            || !System.Runtime.InteropServices.NativeLibrary.TryGetExport(lib, JunkFlag, out var j))
            return false;
        zero = (byte*)z;
        junk = (byte*)j;
        return true;
    }
}
