using Vicreg.Data;
using Xunit;

namespace Vicreg.Tests.Data;

public class FileListDatasetTests
{
    [Fact]
    public void CsvWithHeaderAndClassNamesResolvesRelativePaths()
    {
        using var dir = new TempDir();
        string list = Path.Combine(dir.Path, "train.csv");
        File.WriteAllText(list, "path,label\nimg/a.jpg,dog\n\"img/b, with comma.jpg\",cat\n/abs/c.png,dog\n");
        var ds = new FileListDataset(list);
        Assert.Equal(new[] { "cat", "dog" }, ds.Classes);
        Assert.Equal(3, ds.Count);
        Assert.Equal(new Sample(Path.Combine(dir.Path, "img", "a.jpg"), 1), ds[0]);
        Assert.Equal(new Sample(Path.Combine(dir.Path, "img", "b, with comma.jpg"), 0), ds[1]);
        Assert.Equal(new Sample("/abs/c.png", 1), ds[2]);
    }

    [Fact]
    public void TsvWithIntegerLabelsKeepsThem()
    {
        using var dir = new TempDir();
        string list = Path.Combine(dir.Path, "val.tsv");
        File.WriteAllText(list, "x/1.JPEG\t3\nx/2.JPEG\t0\n\n");
        var ds = new FileListDataset(list);
        Assert.Equal(new[] { "0", "1", "2", "3" }, ds.Classes);
        Assert.Equal(new[] { 3, 0 }, ds.Select(s => s.Label));
    }

    [Fact]
    public void MalformedRowNamesTheFileAndLine()
    {
        using var dir = new TempDir();
        string list = Path.Combine(dir.Path, "bad.csv");
        File.WriteAllText(list, "a.jpg,0\nb.jpg\n");
        var ex = Assert.Throws<InvalidDataException>(() => new FileListDataset(list));
        Assert.Contains($"{list}:2:", ex.Message);
        Assert.Throws<FileNotFoundException>(() => new FileListDataset(Path.Combine(dir.Path, "missing.csv")));
    }

    [Fact]
    public void FolderIndexIsCachedAndRebuiltWhenTheTreeChanges()
    {
        using var dir = new TempDir();
        string root = Path.Combine(dir.Path, "train");
        foreach (var (cls, name) in new[] { ("a", "1.jpg"), ("a", "2.jpg"), ("b", "3.png") })
        {
            Directory.CreateDirectory(Path.Combine(root, cls));
            File.WriteAllBytes(Path.Combine(root, cls, name), new byte[] { 1 });
        }
        string cache = Path.Combine(dir.Path, "run", "index", "train.tsv");
        int builds = 0;
        ISampleSet Build() { builds++; return new ImageFolderDataset(root); }

        var first = ImageIndex.Cached(cache, root, Build);
        Assert.False(first.FromCache);
        Assert.True(File.Exists(cache));
        var second = ImageIndex.Cached(cache, root, Build);
        Assert.True(second.FromCache);
        Assert.Equal(1, builds);
        Assert.Equal(first.Classes, second.Classes);
        Assert.Equal(first.ToArray(), second.ToArray());

        // A new file changes its folder's modification time: the index is rebuilt.
        File.WriteAllBytes(Path.Combine(root, "b", "4.jpg"), new byte[] { 1 });
        Directory.SetLastWriteTimeUtc(Path.Combine(root, "b"), DateTime.UtcNow.AddSeconds(5));
        var third = ImageIndex.Cached(cache, root, Build);
        Assert.False(third.FromCache);
        Assert.Equal(2, builds);
        Assert.Equal(4, third.Count);

        // A damaged cache is rebuilt, not trusted.
        File.WriteAllText(cache, "garbage");
        Assert.False(ImageIndex.Cached(cache, root, Build).FromCache);
    }

    [Fact]
    public void ListIndexIsRebuiltWhenTheListChanges()
    {
        using var dir = new TempDir();
        string list = Path.Combine(dir.Path, "l.csv");
        File.WriteAllText(list, "a.jpg,0\n");
        string cache = Path.Combine(dir.Path, "idx.tsv");
        Assert.False(ImageIndex.Cached(cache, list, () => new FileListDataset(list)).FromCache);
        Assert.True(ImageIndex.Cached(cache, list, () => new FileListDataset(list)).FromCache);
        File.WriteAllText(list, "a.jpg,0\nb.jpg,1\n");
        var rebuilt = ImageIndex.Cached(cache, list, () => new FileListDataset(list));
        Assert.False(rebuilt.FromCache);
        Assert.Equal(2, rebuilt.Count);
    }
}
