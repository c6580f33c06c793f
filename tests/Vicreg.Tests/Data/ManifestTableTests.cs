using Vicreg.Data;

namespace Vicreg.Tests.Data;

/// <summary>The one reader of CSVs with a header (audio and paired manifests, ESC-50's meta file): fields by column
/// name, and every refusal as one line <c>file:line: problem</c>.</summary>
public class ManifestTableTests
{
    private static string Write(TempDir dir, string text)
    {
        var path = dir.Combine("list.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void FieldsAreReadByColumnNameWhateverTheirOrderAndCase()
    {
        using var dir = new TempDir();
        var table = ManifestTable.Read(Write(dir, "Label, Fold ,path\ndog,3,sub/a.wav\n\ncat,1,/abs/b.wav\n"), ["path", "label"], "path,label[,fold]");
        Assert.Equal(new[] { "label", "fold", "path" }, table.Header);
        Assert.Equal(2, table.Rows.Count);
        var first = table.Rows[0];
        Assert.Equal((2, "dog", 3), (first.Line, first.Text("label"), first.Integer("fold")));
        Assert.Equal(Path.Combine(dir.Path, "sub", "a.wav"), first.PathOf("path")); // relative to the CSV
        Assert.Equal("/abs/b.wav", table.Rows[1].PathOf("path"));
        Assert.Equal(4, table.Rows[1].Line); // the blank line is skipped but counted
        Assert.Null(first.Optional("split"));
        Assert.Equal(7, first.Integer("split", absent: 7));
    }

    [Theory]
    [InlineData("", ":1: empty file (expected a header: path,label[,fold])")]
    [InlineData("path,fold\na.wav,1\n", ":1: missing column 'label' (found: path, fold; expected path,label[,fold])")]
    [InlineData("path,label\n", ": no rows (only a header)")]
    [InlineData("path,label\na.wav,dog\nb.wav\n", ":3: 1 fields, but the header has 2 (path,label)")]
    [InlineData("path,label\na.wav,\n", ":2: field 'label' is empty")]
    [InlineData("path,label,fold\na.wav,dog,x\n", ":2: field 'fold': \"x\" is not an integer")]
    public void EveryRefusalIsOneLineNamingTheFileAndTheLine(string text, string expected)
    {
        using var dir = new TempDir();
        var path = Write(dir, text);
        var e = Assert.Throws<InvalidDataException>(() =>
        {
            foreach (var row in ManifestTable.Read(path, ["path", "label"], "path,label[,fold]").Rows)
                _ = (row.Text("path"), row.Text("label"), row.Integer("fold"));
        });
        Assert.Equal(Path.GetFullPath(path) + expected, e.Message);
    }

    [Fact]
    public void AMissingFileSaysWhatWasExpected()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<FileNotFoundException>(() => ManifestTable.Read(dir.Combine("none.csv"), ["path"], "path,label"));
        Assert.Contains("none.csv: not found (expected a CSV with the header path,label)", e.Message);
    }
}
