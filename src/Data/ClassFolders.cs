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
    public static SampleSet Scan(string root, string what, IReadOnlyList<string> extensions)
    {
        ArgumentNullException.ThrowIfNull(root);
        string full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
            throw new DirectoryNotFoundException($"{what} folder '{full}' does not exist.");
        var classDirs = Directory.GetDirectories(full).OrderBy(d => Path.GetFileName(d), StringComparer.Ordinal).ToArray();
        if (classDirs.Length == 0)
            throw new InvalidDataException($"{what} folder '{full}' has no class subfolders (expected one subfolder per class).");
        var samples = new List<Sample>();
        for (int label = 0; label < classDirs.Length; label++)
            samples.AddRange(Directory.EnumerateFiles(classDirs[label], "*", SearchOption.AllDirectories)
                .Where(f => extensions.Any(e => string.Equals(e, Path.GetExtension(f), StringComparison.OrdinalIgnoreCase)))
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => new Sample(f, label)));
        if (samples.Count == 0)
            throw new InvalidDataException(
                $"{what} folder '{full}' has {classDirs.Length} class folder(s) but no {string.Join("/", extensions)} files in them.");
        return new SampleSet(samples, classDirs.Select(d => Path.GetFileName(d)!).ToList(), full);
    }
}
