using Vicreg.Data;
using Vicreg.Training;
using Vicreg.Training.Config;
using Vicreg.Runs;

namespace Vicreg.Tests.Data.Reliability;

/// <summary>
/// tests/fixtures/bad/: broken or unusual inputs (bench/reference/make_bad_inputs.py writes the images;
/// the configs are hand-written). Each is decoded correctly or refused with one line naming the file,
/// never a crash, and a run over a folder that mixes them with good images goes on with the good ones.
/// </summary>
public class BadInputCorpusTests
{
    private static string Corpus(string kind) => Fixtures.PathOf(Path.Combine("bad", kind));

    /// <summary>Files no decoder can use: skipped, with one line naming the file.</summary>
    public static readonly string[] Undecodable =
    {
        "zero-byte.jpg", "not-an-image.jpg", "truncated.jpg", "truncated.png", "png-signature-then-garbage.png",
        "huge-dimensions.png", "html-page.png",
        // Round 2 (make_bad_samples.py): truncated, skipped by default as Pillow does.
        "truncated-half.jpg", "truncated-progressive.jpg", "png-without-iend.png", "truncated-half.gif",
    };

    [Fact]
    public void EveryImageIsDecodedToRgbOrSkippedWithOneLineNamingIt()
    {
        var files = Directory.GetFiles(Corpus("images")).OrderBy(f => f, StringComparer.Ordinal).ToArray();
        Assert.True(files.Length >= 27);
        var log = new StringWriter();
        using var loader = new ImageLoader(files.Select(f => new Sample(f, 0)).ToList(), log: log);
        var skipped = new List<string>();
        for (int i = 0; i < files.Length; i++)
        {
            using var image = loader.TryLoad(i);
            if (image is null) { skipped.Add(Path.GetFileName(files[i])); continue; }
            Assert.True(image.Width >= 1 && image.Height >= 1);
            var view = ImageAugmenter.Apply(image, ViewAugmentation.OfficialViewB(16), new Random(i));
            Assert.Equal(3 * 16 * 16, view.Length);
            Assert.All(view, v => Assert.True(float.IsFinite(v)));
        }
        Assert.Equal(Undecodable.OrderBy(f => f, StringComparer.Ordinal), skipped.OrderBy(f => f, StringComparer.Ordinal));
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Undecodable.Length, lines.Length);
        foreach (var name in Undecodable) Assert.Single(lines, l => l.StartsWith("skipped ") && l.Contains(name));
        Assert.Contains(lines, l => l.Contains("huge-dimensions.png") && l.Contains("pixel limit"));
    }

    [Theory]
    [InlineData("unterminated.json", "not valid JSON")]
    [InlineData("empty.json", "not valid JSON")]
    [InlineData("array-root.json", "must be a JSON object")]
    [InlineData("unknown-field.json", "batch_sise")]
    [InlineData("wrong-type.json", "optim.batch_size")]
    [InlineData("negative-lr.json", "optim.base_lr")]
    [InlineData("unknown-enum.json", "loss.covariance_form")]
    [InlineData("bad-expander.json", "model.branch_a.expander")]
    [InlineData("unknown-encoder.json", "model.branch_a.encoder")]
    [InlineData("missing-train.json", "data.train")]
    [InlineData("shared-with-branch-b.json", "model.branch_b")]
    [InlineData("batch-of-one.json", "optim.batch_size")]
    [InlineData("unknown-device.json", "device")]
    [InlineData("mismatched-embedding-widths.json", "model.branch_b.expander")]
    public void EveryBadConfigIsOneLineNamingTheFileAndTheField(string file, string field)
    {
        var path = Path.Combine(Corpus("configs"), file);
        var overrides = file == "missing-train.json" ? Array.Empty<string>() : new[] { "data.kind=synthetic-images" };
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile(path, overrides));
        Assert.StartsWith(path + ": ", ex.Message);
        Assert.Contains(field, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    /// <summary>Every bad case at once, the empty class folder too (ignored under data.empty_classes=ignore):
    /// the run finishes, and its summary's count is every skipped file.</summary>
    [Fact]
    public void ARunOverAFolderMixingBadAndGoodImagesGoesOnWithTheGoodOnes()
    {
        using var temp = new TempDir();
        SyntheticImages.Generate(temp.Combine("shapes"), new SyntheticImageOptions(Classes: 2, TrainPerClass: 18, ValPerClass: 1, Size: 24));
        // The folder lists .jpg/.jpeg/.png only; the other formats take part under a .png name (decoders go by content).
        foreach (var f in Directory.GetFiles(Corpus("images")))
            File.Copy(f, temp.Combine("shapes", "train", SyntheticImages.ClassFolderName(0),
                "bad-" + Path.GetFileName(f) + (Path.GetExtension(f) is ".jpg" or ".png" ? "" : ".png")));
        Directory.CreateDirectory(temp.Combine("shapes", "train", "zz-empty-class"));
        var dataset = new ImageFolderDataset(temp.Combine("shapes", "train"));
        Assert.Equal(63, dataset.Count); // 36 good + 27 from the corpus: 9 batches of 7 visit every file
        var lines = new List<string>();
        var config = ConfigLoader.Parse("{}", "mixed.json", new[]
        {
            "name=mixed", "device=cpu", "data.kind=image-folder", $"data.train={temp.Combine("shapes", "train")}",
            "data.image_size=16", "model.branch_a.encoder=resnet18", "model.branch_a.expander=16-16", "model.branch_a.base_width=8",
            "optim.batch_size=7", "optim.epochs=1", "optim.warmup_epochs=0", $"output.runs_dir={temp.Combine("runs")}",
            "data.empty_classes=ignore",
        });
        var outcome = PretrainJob.Run(config, new LineCollector(lines));
        Assert.Equal(9, outcome.StepsTaken);
        Assert.Equal(Undecodable.Length, outcome.SkippedFiles);
        Assert.Equal(Undecodable.Length, lines.Count(l => l.StartsWith("skipped ")));
        Assert.Single(lines, l => l.StartsWith("warning: ") && l.Contains("zz-empty-class"));
    }

    private sealed class LineCollector(List<string> lines) : ITrainingObserver
    {
        public void Started(TrainingPlan plan) { }
        public void Step(Vicreg.Training.Runs.StepStats stats) { }
        public void EpochEnded(int epoch, double meanLoss, string checkpoint) { }
        public void Info(string line) { lock (lines) lines.Add(line); }
    }
}
