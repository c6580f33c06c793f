using SixLabors.ImageSharp;


namespace Vicreg.Tests.Cli;

/// <summary>vicreg preview as a user runs it: a PNG on success, one line on bad input.</summary>
public class PreviewCommandTests
{
    [Fact]
    public void WritesThePngAndNamesIt()
    {
        using var temp = new TempDir();
        var (code, output) = CliProcessTests.Vicreg(temp.Path, "preview", "--config", RepoFiles.PathOf("experiments/audio-image/quickstart.json"),
            "--out", "look/views.png", "--samples", "3",
            "--set", "data.paired.synthetic.root=pairs", "--set", "data.paired.synthetic.train_per_class=2",
            "--set", "data.paired.synthetic.val_per_class=1", "--set", "optim.batch_size=8");
        Assert.True(code == 0, output);
        string png = temp.Combine("look", "views.png");
        Assert.Contains("look/views.png", output);
        Assert.Contains("3 samples", output);
        Assert.Contains("crop", output); // the drawn parameters of each row are printed too
        var info = Image.Identify(png);
        Assert.True(info.Width > 500 && info.Height > 3 * 150, $"{info.Width}×{info.Height}");
        Assert.False(Directory.Exists(temp.Combine("runs")), "a preview trains nothing and writes no run folder");
    }

    [Theory]
    [InlineData("missing.json", "missing.json: (file): no such file")]
    [InlineData("bad.json", "bad.json: optim.batchsize: unknown field; did you mean batch_size?")]
    public void BadInputIsOneLine(string config, string expected)
    {
        using var temp = new TempDir();
        File.WriteAllText(temp.Combine("bad.json"), "{ \"data\": { \"kind\": \"synthetic-images\" }, \"optim\": { \"batchsize\": 4 } }");
        var (code, output) = CliProcessTests.Vicreg(temp.Path, "preview", "--config", config);
        Assert.Equal(2, code);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line);
        Assert.False(File.Exists(temp.Combine("views.png")));
    }

    [Fact]
    public void ASampleCountOutOfRangeIsOneLine()
    {
        using var temp = new TempDir();
        var (code, output) = CliProcessTests.Vicreg(temp.Path, "preview", "--samples", "0");
        Assert.Equal(2, code);
        Assert.Contains("--samples must be between 1 and 64 (got 0)", Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }
}
