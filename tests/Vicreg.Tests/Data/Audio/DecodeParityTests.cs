using Vicreg.Data.Audio;
using Xunit.Abstractions;

namespace Vicreg.Tests.Data.Audio;

/// <summary>
/// Each codec against ffmpeg's decode of the same file (tests/fixtures/media, bench/reference/make_media_fixtures.sh):
/// both mixed to mono by averaging the channels, at the file's own rate. FLAC is lossless and must agree sample for
/// sample. Lossy decoders legitimately differ (float order of operations, the MP3 encoder delay that ffmpeg trims
/// from the LAME tag and NLayer does not); after aligning by the best lag, the tolerances below are the measured
/// differences with a margin, relative to the signal's RMS. Measured (RMS difference / signal RMS): Vorbis 2.6e-7,
/// MP3 1.1e-6 and 1.3e-6 after a lag of 1105 samples (LAME's 576 + 529 decoder delay), Opus 3.2e-4 and 2.8e-4 against
/// libopus (Concentus ports libopus; ffmpeg's own Opus decoder differs from libopus by 17% on SILK frames).
/// </summary>
public class DecodeParityTests(ITestOutputHelper output)
{
    private static string Media(string name) => Fixtures.PathOf(Path.Combine("media", name));

    [Theory]
    [InlineData("flac16-stereo-lpc.flac", 44100, 2)]
    [InlineData("flac24-mono-fixed.flac", 16000, 1)]
    [InlineData("flac16-six-channel.flac", 8000, 6)]
    public void Flac_decodes_sample_for_sample_like_ffmpeg(string file, int rate, int channels)
    {
        var audio = AudioDecoder.Decode(Media(file), targetRate: 0);
        Assert.Equal((rate, channels), (audio.SourceRate, audio.SourceChannels));
        Assert.Null(audio.Note);
        var reference = Reference(file, channels);
        Assert.Equal(reference.Length, audio.Samples.Length);
        int differing = audio.Samples.Where((v, i) => v != reference[i]).Count();
        Assert.True(differing == 0, $"{differing} of {reference.Length} samples differ from ffmpeg's");
    }

    /// <param name="lag">ffmpeg's decode starts this many samples into ours (NLayer keeps the encoder delay).</param>
    /// <param name="tolerance">Largest RMS difference after alignment, relative to the RMS of ffmpeg's decode.</param>
    [Theory]
    [InlineData("vorbis-stereo.ogg", 44100, 2, 0, 1e-5)]
    [InlineData("opus-stereo.opus", 48000, 2, 0, 1e-3)]
    [InlineData("opus-mono.opus", 48000, 1, 0, 1e-3)]
    [InlineData("mp3-stereo.mp3", 44100, 2, 1105, 1e-5)]
    [InlineData("mp3-mono-mpeg2.mp3", 22050, 1, 1105, 1e-5)]
    public void Lossy_codecs_decode_like_ffmpeg_within_the_measured_tolerance(string file, int rate, int channels, int lag, double tolerance)
    {
        var audio = AudioDecoder.Decode(Media(file), targetRate: 0);
        Assert.Equal((rate, channels), (audio.SourceRate, audio.SourceChannels));
        var ours = audio.Samples;
        var reference = Reference(file, channels);
        // The lag is searched on the first 4096 samples (a lag is a shift of the whole decode), then measured over all.
        var head = reference.AsSpan(0, Math.Min(4096, reference.Length)).ToArray();
        int best = Enumerable.Range(-1200, 2401).MinBy(l => Difference(ours, head, l).Rms);
        var (rms, max, overlap) = Difference(ours, reference, best);
        double signal = Math.Sqrt(reference.Average(v => (double)v * v));
        output.WriteLine($"{file}: ours {ours.Length} samples, ffmpeg {reference.Length}; best lag {best}; over {overlap} samples " +
                         $"RMS difference {rms:E2} ({rms / signal:E2} of the signal's RMS {signal:F3}), largest {max:E2}");
        Assert.Equal(lag, best);
        Assert.True(rms / signal <= tolerance, $"RMS difference {rms / signal:E2} of the signal, over the tolerance {tolerance:E0}");
        Assert.True(overlap >= reference.Length - 2 * 1152, $"only {overlap} of {reference.Length} samples overlap");
    }

    /// <summary>ffmpeg's interleaved decode, mixed down the way <see cref="AudioDecoder"/> mixes: the channel mean in
    /// double, rounded to float. FLAC references are integers (s32 is 24-bit left-justified, so the scale is 2^31).</summary>
    private static float[] Reference(string file, int channels)
    {
        string stem = Path.GetFileNameWithoutExtension(file);
        var (path, width, scale) = File.Exists(Media(stem + ".ffmpeg.s16")) ? (Media(stem + ".ffmpeg.s16"), 2, 1.0 / 32768)
            : File.Exists(Media(stem + ".ffmpeg.s32")) ? (Media(stem + ".ffmpeg.s32"), 4, 1.0 / 2147483648) : (Media(stem + ".ffmpeg.f32"), 4, 1.0);
        var bytes = File.ReadAllBytes(path);
        int frames = bytes.Length / width / channels;
        var mono = new float[frames];
        for (int f = 0; f < frames; f++)
        {
            double sum = 0;
            for (int c = 0; c < channels; c++)
            {
                int at = (f * channels + c) * width;
                sum += width == 2 ? BitConverter.ToInt16(bytes, at) * scale
                    : path.EndsWith(".f32", StringComparison.Ordinal) ? BitConverter.ToSingle(bytes, at) : BitConverter.ToInt32(bytes, at) * scale;
            }
            mono[f] = (float)(sum * (1.0 / channels));
        }
        return mono;
    }

    /// <summary>ours[i + lag] against reference[i] over where both exist.</summary>
    private static (double Rms, double Max, int Overlap) Difference(float[] ours, float[] reference, int lag)
    {
        double sum = 0, max = 0;
        int n = 0;
        for (int i = Math.Max(0, -lag); i < reference.Length && i + lag < ours.Length; i++, n++)
        {
            double d = ours[i + lag] - reference[i];
            sum += d * d;
            max = Math.Max(max, Math.Abs(d));
        }
        return n == 0 ? (double.PositiveInfinity, double.PositiveInfinity, 0) : (Math.Sqrt(sum / n), max, n);
    }
}
