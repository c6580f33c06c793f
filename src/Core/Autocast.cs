using System.Runtime.InteropServices;
using TorchSharp;

namespace Vicreg.Core;

/// <summary>
/// libtorch's own autocast switches (the calls PyTorch's <c>torch.autocast</c> makes), bound by their
/// mangled names in libtorch_cpu.so because TorchSharp 0.107 has no autocast.
/// </summary>
/// <remarks>
/// ABI: <c>c10::DeviceType</c> and <c>c10::ScalarType</c> are <c>enum class : int8_t</c>, passed and
/// returned as 8-bit integers; <c>bool</c> is one byte; the nesting counters return <c>int</c>. TorchSharp's
/// <see cref="DeviceType"/> and <see cref="torch.ScalarType"/> use c10's numbering (CPU 0, CUDA 1;
/// BFloat16 15, Half 5). The state is thread-local in libtorch, as in PyTorch: enable it on the thread
/// that runs the forward pass. Prefer <see cref="AutocastScope"/>, which nests and restores.
/// </remarks>
public static class Autocast
{
    private const string Library = "libtorch_cpu.so";

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate void SetEnabledFn(sbyte device, byte enabled);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate byte IsEnabledFn(sbyte device);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate void SetDtypeFn(sbyte device, sbyte dtype);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate sbyte GetDtypeFn(sbyte device);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int NestingFn();
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate void ClearCacheFn();

    private sealed record Bindings(SetEnabledFn SetEnabled, IsEnabledFn IsEnabled, SetDtypeFn SetDtype, GetDtypeFn GetDtype,
        NestingFn Increment, NestingFn Decrement, ClearCacheFn ClearCache);

    private static readonly Lazy<Bindings> bindings = new(Bind);

    private static Bindings Bind()
    {
        torch.InitializeDeviceType(DeviceType.CPU); // libtorch must be loaded before we look it up
        var handle = LoadedLibraries.FindLoaded(Library);
        if (handle == IntPtr.Zero)
            throw new InvalidOperationException($"autocast: {Library} is not loaded in this process, so libtorch's autocast cannot be reached");
        T Get<T>(string mangled, string readable) where T : Delegate =>
            NativeLibrary.TryGetExport(handle, mangled, out var f)
                ? Marshal.GetDelegateForFunctionPointer<T>(f)
                : throw new InvalidOperationException($"autocast: {Library} does not export {readable} ({mangled}); this libtorch is not the 2.x the project expects");
        return new Bindings(
            Get<SetEnabledFn>("_ZN2at8autocast20set_autocast_enabledEN3c1010DeviceTypeEb", "at::autocast::set_autocast_enabled(DeviceType, bool)"),
            Get<IsEnabledFn>("_ZN2at8autocast19is_autocast_enabledEN3c1010DeviceTypeE", "at::autocast::is_autocast_enabled(DeviceType)"),
            Get<SetDtypeFn>("_ZN2at8autocast18set_autocast_dtypeEN3c1010DeviceTypeENS1_10ScalarTypeE", "at::autocast::set_autocast_dtype(DeviceType, ScalarType)"),
            Get<GetDtypeFn>("_ZN2at8autocast18get_autocast_dtypeEN3c1010DeviceTypeE", "at::autocast::get_autocast_dtype(DeviceType)"),
            Get<NestingFn>("_ZN2at8autocast17increment_nestingEv", "at::autocast::increment_nesting()"),
            Get<NestingFn>("_ZN2at8autocast17decrement_nestingEv", "at::autocast::decrement_nesting()"),
            Get<ClearCacheFn>("_ZN2at8autocast11clear_cacheEv", "at::autocast::clear_cache()"));
    }

    private static sbyte Code(DeviceType device) => checked((sbyte)(int)device);

    public static bool IsEnabled(DeviceType device) => bindings.Value.IsEnabled(Code(device)) != 0;

    public static void SetEnabled(DeviceType device, bool enabled) => bindings.Value.SetEnabled(Code(device), enabled ? (byte)1 : (byte)0);

    public static torch.ScalarType GetDtype(DeviceType device) => (torch.ScalarType)bindings.Value.GetDtype(Code(device));

    public static void SetDtype(DeviceType device, torch.ScalarType dtype) => bindings.Value.SetDtype(Code(device), checked((sbyte)(int)dtype));

    /// <summary>Enters one more autocast region; returns the new depth.</summary>
    public static int IncrementNesting() => bindings.Value.Increment();

    /// <summary>Leaves an autocast region; returns the remaining depth.</summary>
    public static int DecrementNesting() => bindings.Value.Decrement();

    /// <summary>Frees the casts of weights cached while autocast was on.</summary>
    public static void ClearCache() => bindings.Value.ClearCache();
}
