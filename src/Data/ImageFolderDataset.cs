using System.Collections;

namespace Vicreg.Data;

/// <summary>A torchvision-style image folder (<see cref="ClassFolders"/>): a subfolder per class of
/// *.jpg/*.jpeg/*.png files.</summary>
public sealed class ImageFolderDataset : ISampleSet
{
    public static readonly string[] Extensions = [".jpg", ".jpeg", ".png"];
    private readonly SampleSet _set;

    /// <summary>Scans <paramref name="root"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
    /// <exception cref="InvalidDataException">The root has no class folders, or no images in them.</exception>
    public ImageFolderDataset(string root) => _set = ClassFolders.Scan(root, "Image", Extensions);

    /// <summary>Full path of the scanned folder.</summary>
    public string Source => _set.Source;

    /// <summary>Class folder names; the label of a sample is its index here.</summary>
    public IReadOnlyList<string> Classes => _set.Classes;

    public int Count => _set.Count;
    public Sample this[int index] => _set[index];
    public IEnumerator<Sample> GetEnumerator() => _set.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
