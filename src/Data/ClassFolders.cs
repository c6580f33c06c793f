namespace Vicreg.Data;

/// <summary>
/// The torchvision ImageFolder layout for any modality: one subfolder of the root per class, sorted ordinally
/// (class index = position), and the files with the given extensions found recursively in each class folder, sorted
/// ordinally by path. Image folders and audio folders are both this.
/// </summary>
public static class ClassFolders
{
    /// <param name="what">Names the folder in messages ("Image", "Audio").</param>
    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
    /// <exception cref="InvalidDataException">The root has no class folders, or no matching files in them.</exception>
    /// <param name="classLevel">Which folder level below the root names a file's class: 1, the root's subfolders; 2, their
    /// subfolders (LibriSpeech's speaker/chapter/*.flac read by chapter), named by their path below the root.</param>
    public static SampleSet Scan(string root, string what, IReadOnlyList<string> extensions, int classLevel = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classLevel, 1);
        ArgumentNullException.ThrowIfNull(root);
        string full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
            throw new DirectoryNotFoundException($"{what} folder '{full}' does not exist.");
        var classDirs = ClassDirectories(full, classLevel).ToArray();
        if (classDirs.Length == 0)
            throw new InvalidDataException(classLevel == 1
                ? $"{what} folder '{full}' has no class subfolders (expected one subfolder per class)."
                : $"{what} folder '{full}' has no folders {classLevel} levels down (the class level asked for).");
        var samples = new List<Sample>();
        for (int label = 0; label < classDirs.Length; label++)
            samples.AddRange(Directory.EnumerateFiles(classDirs[label], "*", SearchOption.AllDirectories)
                .Where(f => extensions.Any(e => string.Equals(e, Path.GetExtension(f), StringComparison.OrdinalIgnoreCase)))
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => new Sample(f, label)));
        if (samples.Count == 0)
            throw new InvalidDataException(
                $"{what} folder '{full}' has {classDirs.Length} class folder(s) but no {string.Join("/", extensions)} files in them.");
        return new SampleSet(samples, classDirs.Select(d => Path.GetRelativePath(full, d).Replace('\\', '/')).ToList(), full);
    }

    /// <summary>The folders <paramref name="level"/> levels below <paramref name="root"/>, sorted ordinally by their
    /// path below it (at level 1, by name).</summary>
    private static IEnumerable<string> ClassDirectories(string root, int level)
    {
        IEnumerable<string> dirs = [root];
        // The staging folder of an ingest that was stopped is not a class.
        for (int i = 0; i < level; i++) dirs = dirs.SelectMany(Directory.GetDirectories).Where(d => Path.GetFileName(d) != Ingest.MediaIngest.StagingFolder);
        return dirs.OrderBy(d => Path.GetRelativePath(root, d).Replace('\\', '/'), StringComparer.Ordinal);
    }
}
