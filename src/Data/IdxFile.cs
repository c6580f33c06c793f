using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Vicreg.Data;

/// <summary>
/// MNIST-format IDX files (MNIST, Fashion-MNIST, KMNIST …): an images file (magic 0x00000803, then count,
/// rows, columns, then unsigned bytes) and a labels file (magic 0x00000801, count, bytes), each optionally
/// gzipped (detected from the content, not the name). <see cref="Materialise"/> writes them once as an image
/// folder (one class subfolder of PNGs per label), the layout the image pipeline reads. Every problem is an
/// <see cref="InvalidDataException"/> with one line naming the file.
/// </summary>
public static class IdxFile
{
    const int ImagesMagic = 0x00000803, LabelsMagic = 0x00000801;
    const int MarkerVersion = 1;
    const string MarkerName = "idx.json";

    public sealed record Images(int Count, int Rows, int Columns, byte[] Pixels);

    /// <summary>The labels file that goes with an images file by the MNIST naming (…-images-idx3-ubyte → …-labels-idx1-ubyte).</summary>
    public static string LabelsFileFor(string imagesPath)
    {
        string name = Path.GetFileName(imagesPath);
        if (!name.Contains("images-idx3", StringComparison.Ordinal))
            throw new InvalidDataException($"{imagesPath}: not named like an IDX images file (…-images-idx3-ubyte[.gz]), so its labels file cannot be found");
        string labels = Path.Combine(Path.GetDirectoryName(imagesPath) ?? "", name.Replace("images-idx3", "labels-idx1", StringComparison.Ordinal));
        if (!File.Exists(labels))
            throw new InvalidDataException($"{imagesPath}: its labels file {labels} does not exist");
        return labels;
    }

    public static Images ReadImages(string path)
    {
        byte[] data = ReadAll(path);
        if (data.Length < 4) throw new InvalidDataException($"{path}: truncated IDX images file ({data.Length} bytes, the header alone is 16)");
        int magic = BinaryPrimitives.ReadInt32BigEndian(data);
        if (magic != ImagesMagic)
            throw new InvalidDataException(magic == LabelsMagic
                ? $"{path}: is an IDX labels file, not an images file"
                : $"{path}: not an IDX images file (magic 0x{magic:x8}, expected 0x{ImagesMagic:x8})");
        if (data.Length < 16) throw new InvalidDataException($"{path}: truncated IDX images file ({data.Length} bytes, the header alone is 16)");
        int n = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4)), rows = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(8)),
            cols = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(12));
        if (n < 0 || rows <= 0 || cols <= 0) throw new InvalidDataException($"{path}: bad IDX header ({n} images of {rows}×{cols})");
        long need = 16L + (long)n * rows * cols;
        if (data.Length < need)
            throw new InvalidDataException($"{path}: truncated: the header says {n} images of {rows}×{cols} ({need} bytes) but the file has {data.Length}");
        return new Images(n, rows, cols, data.AsSpan(16, (int)(need - 16)).ToArray());
    }

    public static byte[] ReadLabels(string path)
    {
        byte[] data = ReadAll(path);
        if (data.Length < 4) throw new InvalidDataException($"{path}: truncated IDX labels file ({data.Length} bytes, the header alone is 8)");
        int magic = BinaryPrimitives.ReadInt32BigEndian(data);
        if (magic != LabelsMagic)
            throw new InvalidDataException(magic == ImagesMagic
                ? $"{path}: is an IDX images file, not a labels file"
                : $"{path}: not an IDX labels file (magic 0x{magic:x8}, expected 0x{LabelsMagic:x8})");
        if (data.Length < 8) throw new InvalidDataException($"{path}: truncated IDX labels file ({data.Length} bytes, the header alone is 8)");
        int n = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4));
        if (n < 0 || data.Length < 8L + n)
            throw new InvalidDataException($"{path}: truncated: the header says {n} labels but the file has {Math.Max(0, data.Length - 8)}");
        return data.AsSpan(8, n).ToArray();
    }

    /// <summary>Images and their labels, checked to be a pair (same count).</summary>
    public static (Images Images, byte[] Labels) ReadPair(string imagesPath, string labelsPath)
    {
        var images = ReadImages(imagesPath);
        var labels = ReadLabels(labelsPath);
        if (images.Count != labels.Length)
            throw new InvalidDataException($"{imagesPath}: {images.Count} images but {labelsPath} has {labels.Length} labels; they are not a pair");
        return (images, labels);
    }

    /// <summary>
    /// Writes the pair as <paramref name="folder"/>/&lt;label&gt;/NNNNN.png (grayscale), unless the folder
    /// already holds exactly this pair (a marker records the sources' sizes and dates). At most
    /// <paramref name="limit"/> samples (0: all), taken in file order. Returns the number of images written or found.
    /// Safe when several runs materialise the same folder at once: one writes (under <see cref="FolderLock"/>) into a
    /// private folder beside it and renames it into place whole, marker included; the others wait and reuse it. So a
    /// folder with a marker is always complete, and a killed run leaves at most a partial folder the next writer removes.
    /// </summary>
    public static int Materialise(string imagesPath, string labelsPath, string folder, int limit = 0)
    {
        string expected = JsonSerializer.Serialize(new
        {
            version = MarkerVersion, limit,
            images = new { path = Path.GetFullPath(imagesPath), size = new FileInfo(imagesPath).Length, time = File.GetLastWriteTimeUtc(imagesPath) },
            labels = new { path = Path.GetFullPath(labelsPath), size = new FileInfo(labelsPath).Length, time = File.GetLastWriteTimeUtc(labelsPath) },
        });
        if (Holds(folder, expected)) return CountImages(folder);
        using var writer = FolderLock.Acquire(folder, TimeSpan.FromHours(1));
        if (Holds(folder, expected)) return CountImages(folder); // written by the run we waited for

        var (images, labels) = ReadPair(imagesPath, labelsPath);
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        string partialPrefix = Path.GetFileName(full) + ".partial-";
        // Holding the lock, no other run is filling any partial folder: these are left by killed runs.
        foreach (var left in Directory.GetDirectories(Path.GetDirectoryName(full)!, partialPrefix + "*")) Directory.Delete(left, recursive: true);
        string partial = full + ".partial-" + Guid.NewGuid().ToString("N");
        int count = limit > 0 ? Math.Min(limit, images.Count) : images.Count;
        int size = images.Rows * images.Columns;
        foreach (var label in labels.Take(count).Distinct()) Directory.CreateDirectory(Path.Combine(partial, $"{label:D2}"));
        var encoder = new PngEncoder();
        Parallel.For(0, count, i =>
        {
            using var image = Image.LoadPixelData<L8>(images.Pixels.AsSpan(i * size, size), images.Columns, images.Rows);
            image.Save(Path.Combine(partial, $"{labels[i]:D2}", $"{i:D5}.png"), encoder);
        });
        File.WriteAllText(Path.Combine(partial, MarkerName), expected);
        if (Directory.Exists(full)) Directory.Delete(full, recursive: true); // made from other files (or another version)
        Directory.Move(partial, full);
        return count;
    }

    static bool Holds(string folder, string expectedMarker)
    {
        try { return File.ReadAllText(Path.Combine(folder, MarkerName)) == expectedMarker; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    static int CountImages(string folder) => Directory.GetFiles(folder, "*.png", SearchOption.AllDirectories).Length;

    /// <summary>The whole file, gunzipped when it starts with the gzip magic (1f 8b).</summary>
    static byte[] ReadAll(string path)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"{path}: no such file");
        byte[] raw = File.ReadAllBytes(path);
        if (raw.Length < 2 || raw[0] != 0x1f || raw[1] != 0x8b) return raw;
        try
        {
            using var gz = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var output = new MemoryStream();
            gz.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException) { throw new InvalidDataException($"{path}: truncated or damaged gzip stream"); }
        catch (EndOfStreamException) { throw new InvalidDataException($"{path}: truncated gzip stream"); }
    }
}
