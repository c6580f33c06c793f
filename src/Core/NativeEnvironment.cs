using System.Runtime.InteropServices;

namespace Vicreg.Core;

/// <summary>
/// The process environment as native libraries see it. On Unix, .NET's
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> changes only a managed copy, which
/// libgomp (libtorch's OpenMP runtime) never reads; these calls go through libc's setenv/getenv instead.
/// </summary>
public static class NativeEnvironment
{
    private delegate int SetEnvFn(string name, string value, int overwrite);
    private delegate IntPtr GetEnvFn(string name);

    private static readonly Lazy<(SetEnvFn Set, GetEnvFn Get)?> libc = new(() =>
    {
        if (OperatingSystem.IsWindows()) return null;
        foreach (var lib in new[] { "libc.so.6", "libc.dylib", "libSystem.dylib" })
            if (NativeLibrary.TryLoad(lib, out var h) && NativeLibrary.TryGetExport(h, "setenv", out var s)
                && NativeLibrary.TryGetExport(h, "getenv", out var g))
                return (Marshal.GetDelegateForFunctionPointer<SetEnvFn>(s), Marshal.GetDelegateForFunctionPointer<GetEnvFn>(g));
        return null;
    });

    /// <summary>The variable as libc's getenv sees it (null when unset).</summary>
    public static string? Get(string name)
    {
        if (libc.Value is not { } c) return Environment.GetEnvironmentVariable(name);
        IntPtr p = c.Get(name);
        return p == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(p);
    }

    /// <summary>Sets <paramref name="name"/> for native code and for .NET unless it is already set and
    /// non-empty (the user's value wins). Returns the value in force afterwards, as getenv reads it.</summary>
    public static string SetDefault(string name, string value)
    {
        string? current = Get(name);
        if (!string.IsNullOrEmpty(current)) return current;
        if (libc.Value is { } c && c.Set(name, value, 1) != 0)
            throw new InvalidOperationException($"setenv({name}) failed");
        Environment.SetEnvironmentVariable(name, value);
        return Get(name) ?? value;
    }
}
