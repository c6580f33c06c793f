using Vicreg.Data;
using Vicreg.Data.Audio;

namespace Vicreg.Tests.Data.Reliability;

/// <summary>Samples are checked when decoded (bench/reference/make_bad_samples.py): non-finite values, or float
/// values beyond ±16 (<see cref="WavDecoder.MaxFloatSample"/>), refuse the file with one line; an unclipped mix a
/// few dB over full scale still decodes.</summary>
public class SampleCheckTests
{
    private static string Bad(string name) => Fixtures.PathOf(Path.Combine("bad", "audio", name));

    [Theory]
    [InlineData("nan-samples.wav", "10 of 4000 samples are not finite")]
    [InlineData("inf-samples-float64.wav", "2 of 4000 samples are not finite")]
    [InlineData("out-of-range-float32.wav", "beyond ±16")]
    [InlineData("garbage-float32.wav", "samples")]
    public void FilesWhoseSamplesAreNotSoundAreSkippedWithOneLine(string name, string reason)
    {
        var lines = new List<string>();
        var loader = new AudioLoader(new[] { new Sample(Bad(name), 0) }, 8000, lines.Add);
        Assert.Null(loader.TryLoad(0));
        Assert.Equal(1, loader.SkippedCount);
        var line = Assert.Single(lines);
        Assert.StartsWith($"skipped {Bad(name)}: ", line);
        Assert.Contains(reason, line);
    }

    [Fact]
    public void AnUnclippedMixOverFullScaleDecodes()
    {
        var audio = WavDecoder.Decode(Bad("loud-float32.wav"), 0);
        Assert.InRange(audio.Samples.Max(Math.Abs), 1.5f, 2.01f);
        Assert.All(audio.Samples, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void EverySampleThatReachesTrainingIsFinite()
    {
        foreach (var file in Directory.GetFiles(Fixtures.PathOf(Path.Combine("bad", "audio")), "*.wav"))
        {
            var loader = new AudioLoader(new[] { new Sample(file, 0) }, 16000);
            if (loader.TryLoad(0) is { } samples) Assert.All(samples, v => Assert.True(float.IsFinite(v) && Math.Abs(v) <= 16, file));
        }
    }
}
