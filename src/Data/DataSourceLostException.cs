namespace Vicreg.Data;

/// <summary>
/// The data a run reads from is gone: a file could not be opened and its folder no longer exists or can no
/// longer be listed (a dataset root deleted, unmounted or made unreadable mid-run). Unlike one bad file, which
/// is skipped and replaced, this stops the run: every later file would fail too, one skipped line each.
/// </summary>
public sealed class DataSourceLostException(string message, Exception? inner = null) : IOException(message, inner)
{
    /// <summary>Throws when the failure to read <paramref name="path"/> comes with its folder having vanished or
    /// turned unreadable; returns when the folder is still there (the file alone is bad, or gone). Called on a
    /// failure only, so a healthy run pays nothing.</summary>
    public static void ThrowIfFolderGone(string path, Exception failure)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/";
        string? problem;
        try
        {
            problem = Directory.Exists(folder) ? null : "no longer exists";
            // Listing the folder proves it can still be read (a chmod or a dropped mount fails here).
            if (problem is null) using (var entries = Directory.EnumerateFileSystemEntries(folder).GetEnumerator()) entries.MoveNext();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"can no longer be read ({e.Message.ReplaceLineEndings(" ")})";
        }
        if (problem is not null)
            throw new DataSourceLostException($"the data folder {folder} {problem} (reading {path}); the run cannot go on without its data", failure);
    }

    /// <summary>This exception anywhere in <paramref name="e"/>'s chain of inner (or aggregated) exceptions, or null.</summary>
    public static DataSourceLostException? Find(Exception? e) => e switch
    {
        null => null,
        DataSourceLostException lost => lost,
        AggregateException all => all.InnerExceptions.Select(Find).FirstOrDefault(x => x is not null),
        _ => Find(e.InnerException),
    };
}
