using System.Runtime.InteropServices;

namespace Vicreg.Core;

/// <summary>
/// fsync of a folder: a rename or a new file is durable only once the folder that lists it is flushed (POSIX
/// leaves the directory entry in the page cache until then), which .NET's FileStream.Flush(true) cannot do
/// because it does not open folders. A no-op where the platform has no such call.
/// </summary>
public static partial class DurableFolders
{
    private const int ReadOnly = 0, Directory = 0x10000; // O_RDONLY, O_DIRECTORY (Linux x86-64 and arm64)

    [LibraryImport("libc.so.6", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc.so.6", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc.so.6", EntryPoint = "close")]
    private static partial int Close(int fd);

    /// <summary>Flushes <paramref name="folder"/>'s entries (renames, creations, deletions in it) to disk.</summary>
    public static void Flush(string folder)
    {
        if (!OperatingSystem.IsLinux()) return;
        int fd = Open(folder, ReadOnly | Directory);
        if (fd < 0) throw new IOException($"{folder}: cannot open the folder to flush it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"{folder}: fsync failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            Close(fd);
        }
    }
}
