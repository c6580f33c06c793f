using System.Runtime.InteropServices;

namespace Vicreg.Core;

/// <summary>
/// Native libraries already in the process: the handle of one found by its soname (without loading a
/// second copy) and, on Linux, the files mapped into the process according to /proc/self/maps.
/// </summary>
public static class LoadedLibraries
{
    private const int RtldLazy = 0x1;
    private const int RtldNoLoad = 0x4;

    private delegate IntPtr DlOpen(string? file, int mode);

    private static readonly Lazy<DlOpen?> dlopen = new(() =>
    {
        // glibc ≥ 2.34 exports dlopen from libc.so.6; older ones from libdl.so.2.
        foreach (var lib in new[] { "libc.so.6", "libdl.so.2" })
            if (NativeLibrary.TryLoad(lib, out var handle) && NativeLibrary.TryGetExport(handle, "dlopen", out var f))
                return Marshal.GetDelegateForFunctionPointer<DlOpen>(f);
        return null;
    });

    /// <summary>The address of <paramref name="symbol"/> in the already loaded library <paramref name="soname"/>
    /// (<see cref="FindLoaded"/>); false where either is missing.</summary>
    public static bool TryExport(string soname, string symbol, out IntPtr address)
    {
        address = IntPtr.Zero;
        var library = FindLoaded(soname);
        return library != IntPtr.Zero && NativeLibrary.TryGetExport(library, symbol, out address);
    }

    /// <summary>
    /// The handle of a library that is already loaded, matched by its soname as the dynamic linker does
    /// (dlopen with RTLD_NOLOAD), or <see cref="IntPtr.Zero"/>. Unlike NativeLibrary.Load, this never
    /// maps another copy from the application folder.
    /// </summary>
    public static IntPtr FindLoaded(string soname)
    {
        if (!OperatingSystem.IsLinux()) return NativeLibrary.TryLoad(soname, out var h) ? h : IntPtr.Zero;
        return dlopen.Value?.Invoke(soname, RtldLazy | RtldNoLoad) ?? IntPtr.Zero;
    }

    /// <summary>The distinct paths of mapped files whose name is <paramref name="fileName"/> (Linux; empty elsewhere).</summary>
    public static IReadOnlyList<string> Mapped(string fileName)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/self/maps")) return Array.Empty<string>();
        return File.ReadAllLines("/proc/self/maps")
            .Select(l => l.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 6)
            .Select(f => f[5].Trim())
            .Where(p => Path.GetFileName(p) == fileName)
            .Distinct()
            .ToList();
    }
}
