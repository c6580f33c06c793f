using System.Runtime.InteropServices;

namespace Vicreg.Core.Distributed;

/// <summary>
/// dlopen with RTLD_GLOBAL: Open MPI loads its transport plug-ins with dlopen, and they resolve libmpi's symbols
/// from the global scope; .NET's own NativeLibrary.Load opens libraries RTLD_LOCAL, which breaks them.
/// </summary>
internal static partial class NativeLoader
{
    private const int RtldNow = 0x2, RtldGlobal = 0x100;

    [LibraryImport("libdl.so.2", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint DlOpen(string file, int mode);

    [LibraryImport("libdl.so.2", EntryPoint = "dlsym", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint DlSym(nint handle, string symbol);

    [LibraryImport("libdl.so.2", EntryPoint = "dlerror")]
    private static partial nint DlError();

    /// <summary>The first of <paramref name="names"/> that loads, or a clear exception naming them all.</summary>
    public static (nint Handle, string Name) OpenGlobal(string what, string hint, params string[] names)
    {
        var errors = new List<string>();
        foreach (var name in names)
        {
            nint h = DlOpen(name, RtldNow | RtldGlobal);
            if (h != 0) return (h, name);
            errors.Add(Marshal.PtrToStringUTF8(DlError()) ?? name);
        }
        throw new InvalidOperationException($"{what} could not be loaded ({string.Join("; ", errors)}); {hint}");
    }

    public static nint Symbol(nint library, string libraryName, string symbol)
    {
        nint p = DlSym(library, symbol);
        if (p == 0) throw new InvalidOperationException($"{libraryName} has no symbol {symbol}; is it the expected implementation and version?");
        return p;
    }

    [LibraryImport("libc.so.6", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    /// <summary>Sets a variable in the native environment (which .NET's Environment does not touch on Unix),
    /// unless the user already set it.</summary>
    public static void DefaultNativeEnvironment(string name, string value) => SetEnv(name, value, 0);
}
