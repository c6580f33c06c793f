namespace Vicreg.Runs;

/// <summary>Checks made before any compute is spent, each failing with one line that names the path.</summary>
public static class Preflight
{
    /// <summary>The run folder accepts a file (a read-only mount fails here, not at the first checkpoint).</summary>
    public static void RequireWritable(string folder)
    {
        var probe = Path.Combine(folder, $".write-test-{Environment.ProcessId}");
        try
        {
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{folder}: the run folder is not writable ({e.Message}); set output.runs_dir to a writable folder", e);
        }
    }

    /// <summary>Enough free space for <paramref name="bytesNeeded"/> on the folder's drive.</summary>
    public static void RequireFreeSpace(string folder, long bytesNeeded, string what)
    {
        long free = new DriveInfo(Path.GetFullPath(folder)).AvailableFreeSpace;
        if (free < bytesNeeded)
            throw new IOException($"{folder}: {free / (1 << 20)} MiB free, but {what} need about {bytesNeeded / (1 << 20)} MiB; free space or set output.runs_dir elsewhere");
    }

    /// <summary>Bytes the kept checkpoints of a model take: weights plus up to two optimizer buffers each,
    /// for the kept checkpoints and the one being written.</summary>
    public static long CheckpointBytes(long parameterCount, int keep) => parameterCount * sizeof(float) * 3 * (keep + 1);
}
