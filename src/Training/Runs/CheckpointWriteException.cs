namespace Vicreg.Training.Runs;

/// <summary>A checkpoint could not be written (most often a full disk). The half-written folder is gone and the
/// previous checkpoint is untouched, so the run stops here and resumes from that one once there is room.</summary>
public sealed class CheckpointWriteException(string checkpoint, string? previous, Exception cause)
    : IOException(Describe(checkpoint, previous, cause), cause)
{
    public string? Previous { get; } = previous;

    /// <summary>ENOSPC on Linux and macOS, ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows.</summary>
    public static bool IsDiskFull(Exception e) =>
        e.HResult is 28 or unchecked((int)0x80070070) or unchecked((int)0x80070027)
        || e.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase);

    private static string Describe(string checkpoint, string? previous, Exception cause)
    {
        string why = IsDiskFull(cause) ? "the disk is full" : cause.Message.ReplaceLineEndings(" ");
        string kept = previous is null ? "there is no earlier checkpoint" : $"the previous checkpoint {previous} is intact";
        return $"could not write checkpoint {checkpoint}: {why}; {kept}. Free space and run the same command again to resume" +
               (previous is null ? "" : " from it");
    }
}
