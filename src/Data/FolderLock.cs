using System.Diagnostics;

namespace Vicreg.Data;

/// <summary>
/// One writer at a time for a folder that several runs may build at once: an exclusive lock on the file
/// &lt;folder&gt;.lock beside it, taken by opening it with FileShare.None (an flock on Linux and macOS). The kernel drops
/// the lock when its process ends, so a killed run never leaves it held. Threads of one process exclude each other too
/// (each open is its own lock). Acquire waits while another run holds it.
/// </summary>
public sealed class FolderLock : IDisposable
{
    private readonly FileStream stream;

    private FolderLock(FileStream stream) => this.stream = stream;

    public static string LockFileFor(string folder) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) + ".lock";

    /// <summary>Takes the lock, waiting up to <paramref name="patience"/> for the run that holds it; then one line naming the folder.</summary>
    public static FolderLock Acquire(string folder, TimeSpan patience)
    {
        string path = LockFileFor(folder);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try { return new FolderLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None)); }
            catch (IOException) when (waited.Elapsed < patience) { Thread.Sleep(100); }
            catch (IOException)
            {
                throw new IOException($"{folder}: another run has been writing it for over {patience.TotalMinutes:0} minutes " +
                                      $"(it holds {path}); wait for that run or stop it, then run again");
            }
        }
    }

    /// <summary>Releases the lock. The lock file stays: deleting it would let a waiting run lock a file a third run no longer sees.</summary>
    public void Dispose() => stream.Dispose();
}
