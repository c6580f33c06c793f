using System.Buffers.Binary;
using System.IO.Compression;
using Vicreg.Data;

namespace Vicreg.Tests.Data;

/// <summary>IDX pairs, plain and gzipped, and the one-line refusals of truncated or mismatched files.</summary>
public class IdxFileTests
{
    static byte[] ImagesFile(int n, int rows, int cols)
    {
        var b = new byte[16 + n * rows * cols];
        BinaryPrimitives.WriteInt32BigEndian(b, 0x803);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(4), n);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(12), cols);
        for (int i = 16; i < b.Length; i++) b[i] = (byte)(i * 7);
        return b;
    }

    static byte[] LabelsFile(params byte[] labels)
    {
        var b = new byte[8 + labels.Length];
        BinaryPrimitives.WriteInt32BigEndian(b, 0x801);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(4), labels.Length);
        labels.CopyTo(b, 8);
        return b;
    }

    static byte[] Gzip(byte[] raw)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(raw);
        return ms.ToArray();
    }

    [Fact]
    public void PlainAndGzippedPairsReadTheSameAndMaterialiseAsClassFolders()
    {
        using var temp = new TempDir();
        var images = ImagesFile(3, 4, 5);
        File.WriteAllBytes(Path.Combine(temp.Path, "train-images-idx3-ubyte"), images);
        File.WriteAllBytes(Path.Combine(temp.Path, "train-labels-idx1-ubyte"), LabelsFile(2, 0, 2));
        File.WriteAllBytes(Path.Combine(temp.Path, "z-images-idx3-ubyte.gz"), Gzip(images));
        File.WriteAllBytes(Path.Combine(temp.Path, "z-labels-idx1-ubyte.gz"), Gzip(LabelsFile(2, 0, 2)));
        var plain = IdxFile.ReadPair(Path.Combine(temp.Path, "train-images-idx3-ubyte"), Path.Combine(temp.Path, "train-labels-idx1-ubyte"));
        string gzImages = Path.Combine(temp.Path, "z-images-idx3-ubyte.gz");
        var gz = IdxFile.ReadPair(gzImages, IdxFile.LabelsFileFor(gzImages));
        Assert.Equal((3, 4, 5), (plain.Images.Count, plain.Images.Rows, plain.Images.Columns));
        Assert.Equal(plain.Images.Pixels, gz.Images.Pixels);
        Assert.Equal(new byte[] { 2, 0, 2 }, gz.Labels);

        string folder = Path.Combine(temp.Path, "out");
        Assert.Equal(3, IdxFile.Materialise(gzImages, IdxFile.LabelsFileFor(gzImages), folder));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(folder, "02"), "*.png").Length);
        Assert.Single(Directory.GetFiles(Path.Combine(folder, "00"), "*.png"));
        var set = new ImageFolderDataset(folder);
        Assert.Equal(3, set.Count);
        Assert.Equal(3, IdxFile.Materialise(gzImages, IdxFile.LabelsFileFor(gzImages), folder)); // reused
    }

    [Fact]
    public void TruncatedAndMismatchedFilesAreOneLineNamingTheFile()
    {
        using var temp = new TempDir();
        string images = Path.Combine(temp.Path, "a-images-idx3-ubyte"), labels = Path.Combine(temp.Path, "a-labels-idx1-ubyte");
        File.WriteAllBytes(images, ImagesFile(3, 4, 5)[..^7]);
        File.WriteAllBytes(labels, LabelsFile(1, 2, 3));
        var truncated = Assert.Throws<InvalidDataException>(() => IdxFile.ReadPair(images, labels));
        Assert.Contains(images, truncated.Message);
        Assert.Contains("truncated", truncated.Message);
        Assert.DoesNotContain("\n", truncated.Message);

        File.WriteAllBytes(images, ImagesFile(3, 4, 5));
        File.WriteAllBytes(labels, LabelsFile(1, 2));
        var mismatch = Assert.Throws<InvalidDataException>(() => IdxFile.ReadPair(images, labels));
        Assert.Contains("3 images but", mismatch.Message);
        Assert.Contains("2 labels", mismatch.Message);

        File.WriteAllBytes(images + ".gz", Gzip(ImagesFile(3, 4, 5))[..20]);
        var gz = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(images + ".gz"));
        Assert.Contains(images + ".gz", gz.Message);

        var swapped = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(labels));
        Assert.Contains("is an IDX labels file", swapped.Message);
    }

    /// <summary>Runs started together on one dataset materialise the same data/idx folder: each must get the whole
    /// folder, none may delete or truncate the files another is writing or reading.</summary>
    [Fact]
    public void RunsMaterialisingTheSameFolderAtOnceAllGetEveryImageWhole()
    {
        using var temp = new TempDir();
        const int n = 300, rows = 28, cols = 28, runs = 4;
        string images = temp.Combine("f-images-idx3-ubyte"), labels = temp.Combine("f-labels-idx1-ubyte");
        var pixels = ImagesFile(n, rows, cols);
        File.WriteAllBytes(images, pixels);
        File.WriteAllBytes(labels, LabelsFile(Enumerable.Range(0, n).Select(i => (byte)(i % 10)).ToArray()));
        string folder = temp.Combine("idx", "f-images");

        var counts = new int[runs];
        var errors = new Exception?[runs];
        // Staggered starts: later runs find the folder half written, as a second run started a moment later does.
        var threads = Enumerable.Range(0, runs).Select(k => new Thread(() =>
        {
            Thread.Sleep(15 * k);
            try { counts[k] = IdxFile.Materialise(images, labels, folder); }
            catch (Exception e) { errors[k] = e; }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.All(errors, e => Assert.Null(e));
        Assert.All(counts, c => Assert.Equal(n, c));
        var files = Directory.GetFiles(folder, "*.png", SearchOption.AllDirectories);
        Assert.Equal(n, files.Length);
        foreach (var file in files)
        {
            int i = int.Parse(Path.GetFileNameWithoutExtension(file));
            Assert.Equal($"{i % 10:D2}", Path.GetFileName(Path.GetDirectoryName(file)));
            using var image = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.L8>(file);
            var got = new byte[rows * cols];
            image.CopyPixelDataTo(got);
            Assert.Equal(pixels.AsSpan(16 + i * rows * cols, rows * cols).ToArray(), got);
        }
        // Nothing half-made is left beside the folder.
        Assert.Equal([folder], Directory.GetDirectories(temp.Combine("idx")));
    }

    /// <summary>A fact that reports itself skipped, with the reason, when Debian's Fashion-MNIST is not installed.</summary>
    public sealed class FashionMnistFactAttribute : FactAttribute
    {
        public const string Dir = "/usr/share/datasets/fashion-mnist";
        public FashionMnistFactAttribute()
        {
            if (!File.Exists(Path.Combine(Dir, "t10k-images-idx3-ubyte.gz")))
                Skip = "dataset-fashion-mnist is not installed (apt-get install dataset-fashion-mnist; .ci/run installs it)";
        }
    }

    [FashionMnistFact]
    public void FashionMnistFromDebianReadsAsTenThousandHeldOut()
    {
        const string dir = FashionMnistFactAttribute.Dir;
        var (images, labels) = IdxFile.ReadPair(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"), Path.Combine(dir, "t10k-labels-idx1-ubyte.gz"));
        Assert.Equal((10000, 28, 28), (images.Count, images.Rows, images.Columns));
        Assert.Equal(10, labels.Distinct().Count());
    }
}
