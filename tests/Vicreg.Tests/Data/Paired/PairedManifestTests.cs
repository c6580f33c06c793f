using Vicreg.Data.Paired;

namespace Vicreg.Tests.Data.Paired;

/// <summary>The image,audio[,label][,fold] manifest: relative paths, optional columns, and refusals that name file:line.</summary>
public class PairedManifestTests
{
    private static string Write(TempDir dir, string text)
    {
        string path = dir.Combine("pairs.csv");
        File.WriteAllText(path, text);
        dir.Touch("frames", "a.jpg");
        dir.Touch("sounds", "a.wav");
        return path;
    }

    [Fact]
    public void Paths_are_relative_to_the_csv_and_each_pair_names_both_files()
    {
        using var dir = new TempDir();
        var set = PairedManifest.Load(Write(dir, "image,audio,label,fold\nframes/a.jpg,sounds/a.wav,dog,2\nframes/b.jpg,sounds/b.wav,cat,1\n"));
        Assert.Equal(new[] { "cat", "dog" }, set.Classes);
        var first = set[0];
        Assert.Equal((1, 2), (first.Label, first.Fold));
        Assert.Equal(dir.Combine("frames", "a.jpg"), first.FileFor("image"));
        Assert.Equal(dir.Combine("sounds", "a.wav"), first.FileFor("audio"));
        Assert.Contains("a.jpg + ", first.Describe());
    }

    [Fact]
    public void Without_a_label_column_every_pair_is_unlabelled()
    {
        using var dir = new TempDir();
        var set = PairedManifest.Load(Write(dir, "audio,image\nsounds/a.wav,frames/a.jpg\n"));
        Assert.Equal(new[] { PairedManifest.Unlabelled }, set.Classes);
        Assert.Equal(dir.Combine("frames", "a.jpg"), set[0].FileFor("image"));
    }

    [Theory]
    [InlineData("image,label\nframes/a.jpg,dog\n", ":1: missing column 'audio'")]
    [InlineData("image,audio,label\nframes/a.jpg,sounds/a.wav,dog\nframes/b.jpg,,dog\n", ":3: field 'audio' is empty")]
    [InlineData("image,audio,label\nframes/a.jpg,sounds/a.wav,dog\n\nframes/b.jpg,sounds/b.wav\n", ":4: 2 fields, but the header has 3")]
    [InlineData("image,audio,fold\nframes/a.jpg,sounds/a.wav,x\n", ":2: field 'fold': \"x\" is not an integer")]
    [InlineData("image,audio,label\nframes/a.jpg,sounds/a.wav,\n", ":2: field 'label' is empty")]
    public void Malformed_rows_are_refused_naming_file_and_line(string text, string expected)
    {
        using var dir = new TempDir();
        string path = Write(dir, text);
        var e = Assert.Throws<InvalidDataException>(() => PairedManifest.Load(path));
        Assert.StartsWith(path + expected, e.Message);
    }

    [Fact]
    public void A_manifest_whose_files_are_all_missing_is_refused_with_the_first_pair()
    {
        using var dir = new TempDir();
        string path = Write(dir, "image,audio\nnowhere/a.jpg,nowhere/a.wav\n");
        var e = Assert.Throws<InvalidDataException>(() => PairedManifest.Load(path));
        Assert.Contains("none of the 1 listed pairs", e.Message);
        Assert.Contains(dir.Combine("nowhere", "a.jpg"), e.Message);
    }
}
