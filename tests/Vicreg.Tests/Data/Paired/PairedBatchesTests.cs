using Vicreg.Data;
using Vicreg.Data.Audio;
using Vicreg.Data.Paired;
using Vicreg.Data.Views;

namespace Vicreg.Tests.Data.Paired;

/// <summary>The one two-view pipeline on image–sound pairs: an image reader for branch A, an audio reader for branch B.</summary>
public class PairedBatchesTests
{
    private static SampleSet Generated(TempDir dir) =>
        Generate(dir, new SyntheticPairOptions(Classes: 3, TrainPerClass: 4, ValPerClass: 1, ImageSize: 24, Seconds: 0.5, SampleRate: 8000, Seed: 5));

    private static SampleSet Generate(TempDir dir, SyntheticPairOptions options)
    {
        SyntheticPairs.Generate(dir.Combine("pairs"), options);
        return PairedManifest.Load(SyntheticPairs.TrainManifest(dir.Combine("pairs")));
    }

    private static TwoViewBatches Batches(IReadOnlyList<Sample> samples, int workers, List<string>? log = null)
    {
        var images = new ImageLoader(samples, log: log is null ? null : new StringListWriter(log));
        var sounds = new AudioLoader(samples, 8000, log is null ? null : line => { lock (log) log.Add(line); });
        return new TwoViewBatches(samples,
            BranchInput.Create(images, new ImageViewRecipe(ViewAugmentation.OfficialViewA(16), 16)),
            BranchInput.Create(sounds, new AudioViewRecipe(new AudioViewAugmentation { CropSeconds = 0.25, GainDb = 3, NoiseLevel = 0.1 }, 8000, 0.5)),
            batchSize: 4, seed: 11, workers: workers);
    }

    [Fact]
    public void Generated_pairs_share_the_class_and_each_sample_reads_an_image_and_a_sound()
    {
        using var dir = new TempDir();
        var set = Generated(dir);
        Assert.Equal(12, set.Count);
        Assert.Equal(3, set.Classes.Count);
        Assert.All(set, s =>
        {
            Assert.EndsWith(".png", s.FileFor("image"));
            Assert.EndsWith(".wav", s.FileFor("audio"));
            Assert.Equal(Path.GetDirectoryName(s.FileFor("image")), Path.GetDirectoryName(s.FileFor("audio")));
            Assert.Equal(set.Classes[s.Label], Path.GetFileName(Path.GetDirectoryName(s.FileFor("image"))));
        });
    }

    [Fact]
    public void Paired_batches_do_not_depend_on_the_worker_count()
    {
        using var dir = new TempDir();
        var set = Generated(dir);
        var one = Batches(set.Samples, workers: 1).Epoch(2).ToList();
        var three = Batches(set.Samples, workers: 3).Epoch(2).ToList();
        Assert.Equal(3, one.Count);
        for (int b = 0; b < one.Count; b++)
        {
            Assert.Equal(new long[] { 4, 3, 16, 16 }, one[b].ViewA.shape);
            Assert.Equal(new long[] { 4, 1, 2000 }, one[b].ViewB.shape);
            Assert.True(one[b].ViewA.equal(three[b].ViewA).all().item<bool>());
            Assert.True(one[b].ViewB.equal(three[b].ViewB).all().item<bool>());
            Assert.Equal(one[b].Indices, three[b].Indices);
        }
        foreach (var b in one.Concat(three)) b.Dispose();
    }

    [Fact]
    public void A_pair_with_a_missing_or_unreadable_file_is_skipped_with_one_line_naming_both_files()
    {
        using var dir = new TempDir();
        var set = Generated(dir);
        string brokenImage = set[1].FileFor("image"), missingSound = set[6].FileFor("audio");
        File.WriteAllText(brokenImage, "not a png");
        File.Delete(missingSound);
        var log = new List<string>();
        var batches = Batches(set.Samples, workers: 2, log);
        var epoch = batches.Epoch(0).ToList();
        Assert.Equal(3, epoch.Count); // substituted by readable pairs: still full batches
        Assert.DoesNotContain(epoch.SelectMany(b => b.Indices), i => i == 1 || i == 6);
        var image = Assert.Single(log, l => l.Contains(brokenImage));
        Assert.StartsWith($"skipped pair {brokenImage} + {set[1].FileFor("audio")}: {brokenImage}: ", image);
        var sound = Assert.Single(log, l => l.Contains(missingSound));
        Assert.StartsWith($"skipped pair {set[6].FileFor("image")} + {missingSound}: {missingSound}: ", sound);
        Assert.Equal(2, batches.SkippedFiles);
        foreach (var b in epoch) b.Dispose();
    }

    /// <summary>Collects an ImageLoader's lines.</summary>
    private sealed class StringListWriter(List<string> lines) : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
        public override void WriteLine(string? value) { lock (lines) lines.Add(value ?? ""); }
    }
}
