using System.Collections;

namespace Vicreg.Data;

/// <summary>
/// A torchvision-style image folder: one subfolder of <see cref="Source"/> per class, sorted ordinally
/// (class index = position), and the *.jpg/*.jpeg/*.png files found recursively in each class folder,
/// sorted ordinally by path.
/// </summary>
public sealed class ImageFolderDataset : ISampleSet
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png"];
    private readonly List<Sample> _samples = new();

    /// <summary>Scans <paramref name="root"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
    /// <exception cref="InvalidDataException">The root has no class folders, or no images in them.</exception>
    public ImageFolderDataset(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        Source = Path.GetFullPath(root);
        if (!Directory.Exists(Source))
            throw new DirectoryNotFoundException($"Image folder '{Source}' does not exist.");

        var classDirs = Directory.GetDirectories(Source)
            .OrderBy(d => Path.GetFileName(d), StringComparer.Ordinal)
            .ToArray();
        if (classDirs.Length == 0)
            throw new InvalidDataException(
                $"Image folder '{Source}' has no class subfolders (expected one subfolder per class).");

        Classes = classDirs.Select(d => Path.GetFileName(d)!).ToArray();
        for (int label = 0; label < classDirs.Length; label++)
        {
            var files = Directory.EnumerateFiles(classDirs[label], "*", SearchOption.AllDirectories)
                .Where(IsImageFile)
                .OrderBy(f => f, StringComparer.Ordinal);
            foreach (var f in files)
                _samples.Add(new Sample(f, label));
        }
        if (_samples.Count == 0)
            throw new InvalidDataException(
                $"Image folder '{Source}' has {Classes.Count} class folder(s) but no .jpg/.jpeg/.png images in them.");
    }

    /// <summary>Full path of the scanned folder.</summary>
    public string Source { get; }

    /// <summary>Class folder names; the label of a sample is its index here.</summary>
    public IReadOnlyList<string> Classes { get; }

    public int Count => _samples.Count;

    public Sample this[int index] => _samples[index];

    public IEnumerator<Sample> GetEnumerator() => _samples.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static bool IsImageFile(string path)
    {
        var ext = Path.GetExtension(path);
        return Extensions.Any(e => string.Equals(e, ext, StringComparison.OrdinalIgnoreCase));
    }
}
