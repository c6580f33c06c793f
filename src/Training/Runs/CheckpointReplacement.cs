using Vicreg.Core;

namespace Vicreg.Training.Runs;

/// <summary>
/// How a written checkpoint folder takes its final name, as an ordered list of steps. A crash after any prefix of
/// the list leaves a whole checkpoint of the step: the old folder, moved aside (<see cref="AsideSuffix"/>), is
/// deleted only once the new one is in place, and each rename is made durable (the parent folder flushed) before
/// the next step. <see cref="Checkpoints.Complete"/> reads a moved-aside folder as the step's checkpoint while no
/// new one has replaced it.
/// </summary>
public static class CheckpointReplacement
{
    public const string TempSuffix = ".tmp";
    public const string AsideSuffix = ".old";

    /// <summary>The steps that move the written folder <paramref name="written"/> to <paramref name="final"/>.</summary>
    public static IReadOnlyList<(string Name, Action Run)> Steps(string written, string final)
    {
        string parent = Path.GetDirectoryName(Path.GetFullPath(final))!;
        string aside = final + AsideSuffix;
        return new (string, Action)[]
        {
            // A leftover from an earlier crash: stale when the step's folder exists, the only copy when it does not.
            ("drop a stale moved-aside folder", () => { if (Directory.Exists(aside) && Directory.Exists(final)) Directory.Delete(aside, recursive: true); }),
            ("move the old folder aside", () => { if (Directory.Exists(final)) Directory.Move(final, aside); }),
            ("flush the parent folder", () => DurableFolders.Flush(parent)),
            ("move the new folder in", () => Directory.Move(written, final)),
            ("flush the parent folder", () => DurableFolders.Flush(parent)),
            ("delete the old folder", () => { if (Directory.Exists(aside)) Directory.Delete(aside, recursive: true); }),
        };
    }
}
