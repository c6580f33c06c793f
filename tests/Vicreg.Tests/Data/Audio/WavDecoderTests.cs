using Vicreg.Data.Audio;

namespace Vicreg.Tests.Data.Audio;

/// <summary>The WAV corpus in tests/fixtures/bad/audio (bench/reference/make_bad_audio.py): every readable file
/// holds x(t) = 0.5·sin(2π·440t) + 0.25·sin(2π·1000t + 1) at 8 kHz, channel c scaled by (1 − 0.1c).</summary>
public class WavDecoderTests
{
    private static string Corpus(string name) => Fixtures.PathOf(Path.Combine("bad", "audio", name));

    private static double Signal(int i)
    {
        double t = i / 8000.0;
        return 0.5 * Math.Sin(2 * Math.PI * 440 * t) + 0.25 * Math.Sin(2 * Math.PI * 1000 * t + 1);
    }

    /// <summary>Tolerances: two quantisation steps of each format (rounding, and the writer scaling by 2^(b-1) − 1
    /// where the reader divides by 2^(b-1)), and float
    /// rounding for float files.</summary>
    [Theory]
    [InlineData("pcm8.wav", 1, 1.0 / 100)]
    [InlineData("pcm16.wav", 1, 2.0 / 32768)]
    [InlineData("pcm24.wav", 1, 1e-6)]
    [InlineData("pcm32.wav", 1, 1e-6)]
    [InlineData("float32.wav", 1, 1e-7)]
    [InlineData("float64.wav", 1, 1e-7)]
    [InlineData("extensible-pcm24.wav", 2, 1e-6)]
    [InlineData("stereo-float32.wav", 2, 1e-7)]
    [InlineData("six-channel.wav", 6, 2.0 / 32768)]
    public void Readable_layouts_decode_to_the_signal_mixed_down_to_mono(string file, int channels, double tolerance)
    {
        var audio = WavDecoder.Decode(Corpus(file), targetRate: 0);
        Assert.Equal(8000, audio.SampleRate);
        Assert.Equal(channels, audio.SourceChannels);
        Assert.Equal(4000, audio.Samples.Length);
        Assert.Null(audio.Note);
        double mix = Enumerable.Range(0, channels).Average(c => 1 - 0.1 * c);
        for (int i = 0; i < audio.Samples.Length; i++)
            Assert.True(Math.Abs(audio.Samples[i] - Signal(i) * mix) <= tolerance,
                $"{file}[{i}]: {audio.Samples[i]} vs {Signal(i) * mix}");
    }

    [Theory]
    [InlineData("zero-byte.wav", "empty file")]
    [InlineData("wrong-magic.wav", "not a readable WAV")]
    [InlineData("text-named-wav.wav", "not a readable WAV")]
    [InlineData("truncated-header.wav", "not a readable WAV")]
    [InlineData("no-data-chunk.wav", "No data chunk")]
    [InlineData("unsupported-alaw.wav", "unsupported encoding ALaw")]
    public void Unreadable_files_fail_with_one_line(string file, string reason)
    {
        var e = Assert.Throws<AudioDecodeException>(() => WavDecoder.Decode(Corpus(file)));
        Assert.Contains(reason, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_truncated_data_chunk_keeps_what_is_there_and_says_so()
    {
        var audio = WavDecoder.Decode(Corpus("truncated-data.wav"), targetRate: 0);
        Assert.Equal(1000, audio.Samples.Length);
        Assert.Contains("header claims 4000 frames, the file holds 1000", audio.Note);
        Assert.Equal(Signal(500), audio.Samples[500], 4);
    }

    [Fact]
    public void Resampling_to_16k_doubles_the_length_and_keeps_the_pitch()
    {
        var audio = WavDecoder.Decode(Corpus("pcm16.wav"), targetRate: 16000);
        Assert.Equal(16000, audio.SampleRate);
        Assert.Equal(8000, audio.Samples.Length);
        // Away from the edges (the resampler's filter delay and ramp-up), the 16-kHz samples follow the same
        // continuous signal: correlation with x(t) at 16 kHz, allowing the WDL filter's small delay.
        double best = Enumerable.Range(-8, 17).Max(lag =>
        {
            double dot = 0, na = 0, nb = 0;
            for (int i = 500; i < 7500; i++)
            {
                double a = audio.Samples[i], b = Signal2(i + lag);
                dot += a * b; na += a * a; nb += b * b;
            }
            return dot / Math.Sqrt(na * nb);
        });
        Assert.True(best > 0.99, $"correlation with the 16-kHz signal is {best:F4}");

        static double Signal2(int i) => 0.5 * Math.Sin(2 * Math.PI * 440 * i / 16000.0) + 0.25 * Math.Sin(2 * Math.PI * 1000 * i / 16000.0 + 1);
    }
}
