using System.Buffers.Binary;
using Vicreg.Data.Audio;
using Vicreg.Data.Paired;

namespace Vicreg.Tests.Data.Paired;

/// <summary>vicreg synth spoken-pairs: real IDX images each paired with its own espeak-ng recording of its class's
/// name, in the paired-manifest layout; the recording's settings come from the pair's own seeded stream.</summary>
public class SpokenPairsTests
{
    /// <summary>A fact that reports itself skipped, with the reason, when espeak-ng is not installed.</summary>
    public sealed class EspeakFactAttribute : FactAttribute
    {
        public EspeakFactAttribute()
        {
            if (!new[] { "/usr/bin/espeak-ng", "/usr/local/bin/espeak-ng" }.Any(File.Exists))
                Skip = "espeak-ng is not installed (apt-get install espeak-ng; .ci/run installs it)";
        }
    }

    /// <summary>An IDX pair of <paramref name="labels"/>.Length images of 6×6 pixels (image i filled with 10·i).</summary>
    static string WriteIdx(string dir, string prefix, params byte[] labels)
    {
        var images = new byte[16 + labels.Length * 36];
        BinaryPrimitives.WriteInt32BigEndian(images, 0x803);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(4), labels.Length);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(8), 6);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(12), 6);
        for (int i = 0; i < labels.Length; i++) images.AsSpan(16 + 36 * i, 36).Fill((byte)(10 * i));
        var lab = new byte[8 + labels.Length];
        BinaryPrimitives.WriteInt32BigEndian(lab, 0x801);
        BinaryPrimitives.WriteInt32BigEndian(lab.AsSpan(4), labels.Length);
        labels.CopyTo(lab, 8);
        string path = Path.Combine(dir, $"{prefix}-images-idx3-ubyte");
        File.WriteAllBytes(path, images);
        File.WriteAllBytes(Path.Combine(dir, $"{prefix}-labels-idx1-ubyte"), lab);
        return path;
    }

    [Fact]
    public void EachRecordingDrawsItsOwnVoiceFromItsOwnStream()
    {
        var a = SpokenPairs.EspeakArguments(0, 0, 3, 7, "coat", "x.wav");
        Assert.Equal(a, SpokenPairs.EspeakArguments(0, 0, 3, 7, "coat", "x.wav")); // same pair, same recording
        Assert.Equal("coat", a[^1]);
        var voices = Enumerable.Range(0, 40).Select(i => string.Join(" ", SpokenPairs.EspeakArguments(0, 0, 3, i, "coat", "x.wav").Take(10))).ToList();
        Assert.True(voices.Distinct().Count() >= 38, "settings should differ between recordings");
        Assert.True(voices.Select(v => v.Split(' ')[1]).Distinct().Count() >= 15, "many voice+variant combinations");
        Assert.NotEqual(a, SpokenPairs.EspeakArguments(1, 0, 3, 7, "coat", "x.wav")); // another seed, another voice
    }

    [EspeakFact]
    public void WritesAPairedManifestWhoseSoundsSayTheClassName()
    {
        using var dir = new TempDir();
        string train = WriteIdx(dir.Path, "train", 1, 0, 1, 0, 1);
        string val = WriteIdx(dir.Path, "t10k", 0, 1, 1);
        string root = Path.Combine(dir.Path, "pairs");
        var options = new SpokenPairOptions(train, val, new[] { "bag", "ankle boot" }, TrainPerClass: 2, ValPerClass: 1, Seed: 0);
        Assert.Equal(6, SpokenPairs.Generate(root, options));

        var set = PairedManifest.Load(SpokenPairs.TrainManifest(root));
        Assert.Equal(new[] { "00_bag", "01_ankle-boot" }, set.Classes);
        Assert.Equal(4, set.Count);
        Assert.Equal(2, PairedManifest.Load(SpokenPairs.ValManifest(root)).Count);
        // The first two images of class 1 in file order are images 0 and 2 (pixel values 0 and 20).
        using (var img = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.L8>(Path.Combine(root, "train", "01_ankle-boot", "00001.png")))
            Assert.Equal(20, img[3, 3].PackedValue);
        var audio = WavDecoder.Decode(Path.Combine(root, "train", "01_ankle-boot", "00000.wav"), 8000);
        Assert.Equal(8000, audio.SampleRate);
        Assert.InRange(audio.Samples.Length, 8000 * 0.3, 8000 * 3.0); // "ankle boot": a fraction of a second to a few seconds
        Assert.True(audio.Samples.Max(Math.Abs) > 0.05f, "the recording is not silent");
        Assert.Equal(6, SpokenPairs.Generate(root, options)); // reused, not rewritten
    }

    [Fact]
    public void ThePresetOnTheSpokenSetLoadsAsPairedManifest()
    {
        var c = Vicreg.Training.Config.ConfigLoader.LoadFile(RepoFiles.PathOf("experiments/audio-image/spoken-fashion.json"));
        Assert.Equal("paired-manifest", c.Data.Kind);
        Assert.Equal(1, c.Model.BranchA.InChannels);
        Assert.False(c.Model.Shared);
    }

    [Fact]
    public void TooFewImagesOfAClassIsOneLine()
    {
        using var dir = new TempDir();
        string train = WriteIdx(dir.Path, "train", 1, 0, 1);
        string val = WriteIdx(dir.Path, "t10k", 0, 1);
        var e = Assert.Throws<InvalidDataException>(() => SpokenPairs.Generate(Path.Combine(dir.Path, "out"),
            new SpokenPairOptions(train, val, new[] { "bag", "coat" }, 2, 1, 0)));
        Assert.Equal("class 0 (bag) has 1 training and 1 test images; asked for 2 and 1", e.Message);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "out")));
    }
}
