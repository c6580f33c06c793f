using Vicreg.Data;
using Vicreg.Data.Audio;

namespace Vicreg.Tests.Data.Audio;

public class SyntheticAudioTests
{
    [Fact]
    public void Generates_labelled_wavs_deterministically_and_reuses_an_identical_set()
    {
        using var a = new TempDir();
        using var b = new TempDir();
        var options = new SyntheticAudioOptions(Classes: 4, TrainPerClass: 3, ValPerClass: 1, Seconds: 0.5, SampleRate: 8000, Seed: 2);
        SyntheticAudio.Generate(a.Path, options);
        SyntheticAudio.Generate(b.Path, options);
        var filesA = Directory.GetFiles(a.Path, "*.wav", SearchOption.AllDirectories).Order().ToArray();
        Assert.Equal(16, filesA.Length);
        foreach (var f in filesA)
            Assert.Equal(File.ReadAllBytes(f), File.ReadAllBytes(Path.Combine(b.Path, Path.GetRelativePath(a.Path, f))));
        var train = ClassFolders.Scan(Path.Combine(a.Path, "train"), "Audio", new[] { ".wav" });
        Assert.Equal(new[] { "00_steady-tone", "01_tone-pulses", "02_steady-buzz", "03_buzz-pulses" }, train.Classes);
        var stamp = File.GetLastWriteTimeUtc(filesA[0]);
        SyntheticAudio.Generate(a.Path, options); // same options: nothing rewritten
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(filesA[0]));
    }

    [Fact]
    public void Every_class_renders_audible_finite_audio_and_clips_of_a_class_vary()
    {
        for (int cls = 0; cls < SyntheticAudio.MaxClasses; cls++)
        {
            var x = SyntheticAudio.Render(cls, 8000, 8000, new Random(cls));
            var y = SyntheticAudio.Render(cls, 8000, 8000, new Random(100 + cls));
            Assert.All(x, v => Assert.True(float.IsFinite(v) && Math.Abs(v) < 1.2f));
            Assert.InRange(x.Max(Math.Abs), 0.4f, 1.2f);
            Assert.NotEqual(x, y);
        }
    }
}
