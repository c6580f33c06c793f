using Vicreg.Data;
using Xunit;

namespace Vicreg.Tests.Data;

public class ImageFolderDatasetTests
{
    [Fact]
    public void ClassesAreSortedOrdinallyAndFilesFoundRecursively()
    {
        using var dir = new TempDir();
        dir.Touch("b", "2.png");
        dir.Touch("b", "1.JPG");
        dir.Touch("b", "notes.txt");
        dir.Touch("B", "x.Jpeg");
        dir.Touch("a", "sub", "deep.PNG");
        dir.Touch("a", "0.jpeg");
        dir.Touch("a", "skip.gif");

        var ds = new ImageFolderDataset(dir.Path);

        Assert.Equal(["B", "a", "b"], ds.Classes); // ordinal: upper case first
        Assert.Equal(5, ds.Count);
        var rel = ds.Select(s => (Path.GetRelativePath(dir.Path, s.Path).Replace('\\', '/'), s.Label)).ToArray();
        Assert.Equal(
            new[] { ("B/x.Jpeg", 0), ("a/0.jpeg", 1), ("a/sub/deep.PNG", 1), ("b/1.JPG", 2), ("b/2.png", 2) },
            rel);
        Assert.Equal(Path.GetFullPath(dir.Path), ds.Source);
    }

    [Fact]
    public void MissingRootNamesThePath()
    {
        using var dir = new TempDir();
        string missing = dir.Combine("nope");
        var ex = Assert.Throws<DirectoryNotFoundException>(() => new ImageFolderDataset(missing));
        Assert.Contains(missing, ex.Message);
    }

    [Fact]
    public void RootWithoutClassFoldersSaysSo()
    {
        using var dir = new TempDir();
        dir.Touch("loose.png");
        var ex = Assert.Throws<InvalidDataException>(() => new ImageFolderDataset(dir.Path));
        Assert.Contains(Path.GetFullPath(dir.Path), ex.Message);
        Assert.Contains("class", ex.Message);
    }

    [Fact]
    public void ClassFoldersWithoutImagesSaySo()
    {
        using var dir = new TempDir();
        dir.Touch("cat", "readme.txt");
        Directory.CreateDirectory(dir.Combine("dog"));
        var ex = Assert.Throws<InvalidDataException>(() => new ImageFolderDataset(dir.Path));
        Assert.Contains(Path.GetFullPath(dir.Path), ex.Message);
        Assert.Contains("no .jpg", ex.Message);
    }
}
