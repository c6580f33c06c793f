using NAudio.Wave;

namespace Vicreg.Data.Audio;

/// <summary>
/// WAV → mono float at a target rate. NAudio parses the RIFF chunks; the sample conversion is done here
/// because NAudio's converters cover neither 64-bit float nor every WAVE_FORMAT_EXTENSIBLE layout.
/// Supported: PCM 8 (unsigned), 16, 24, 32 bit; IEEE float 32 and 64; WAVE_FORMAT_EXTENSIBLE with a PCM or
/// float sub-format; any channel count (averaged to mono). Resampling uses NAudio's WDL resampler.
/// </summary>
public static class WavDecoder
{
    private static readonly Guid PcmSubFormat = new("00000001-0000-0010-8000-00aa00389b71");
    private static readonly Guid FloatSubFormat = new("00000003-0000-0010-8000-00aa00389b71");

    /// <summary>Decodes <paramref name="path"/>; throws <see cref="AudioDecodeException"/> with a one-line
    /// reason when the file cannot be read. <paramref name="targetRate"/> 0 keeps the file's rate.</summary>
    public static DecodedAudio Decode(string path, int targetRate = 16000)
    {
        using var stream = AudioFiles.OpenReadable(path);
        return Decode(stream, targetRate);
    }

    public static DecodedAudio Decode(Stream stream, int targetRate = 16000) => AudioDecoder.Finish(ReadMono(stream), targetRate);

    /// <summary>The file mixed to mono at its own rate.</summary>
    internal static SourceAudio ReadMono(Stream stream)
    {
        WaveFileReader reader;
        try { reader = new WaveFileReader(stream); }
        catch (Exception e) when (e is FormatException or InvalidDataException or EndOfStreamException or ArgumentException or IOException)
        {
            throw new AudioDecodeException($"not a readable WAV file ({OneLine(e.Message)})");
        }
        using (reader)
        {
            var format = reader.WaveFormat;
            var (isFloat, bits) = SampleLayout(format);
            int channels = format.Channels;
            if (channels < 1) throw new AudioDecodeException("the fmt chunk declares 0 channels");
            if (format.SampleRate < 1) throw new AudioDecodeException("the fmt chunk declares a sample rate of 0");
            int frameBytes = channels * bits / 8;
            byte[] data = ReadAll(reader, stream.CanSeek ? stream.Length - stream.Position : 1 << 20, out long claimed);
            int frames = data.Length / frameBytes;
            if (frames == 0) throw new AudioDecodeException("no audio samples in the data chunk");
            string? note = data.Length < claimed
                ? $"truncated: the header claims {claimed / frameBytes} frames, the file holds {frames}; using those"
                : null;
            float[] mono = MonoMix.Mix(new PcmBytes(data, frames * channels, bits, isFloat), channels);
            return new SourceAudio(mono, format.SampleRate, channels, note);
        }
    }

    private static (bool IsFloat, int Bits) SampleLayout(WaveFormat format)
    {
        int bits = format.BitsPerSample;
        var encoding = format.Encoding;
        if (encoding == WaveFormatEncoding.Extensible)
        {
            var subFormat = SubFormat(format);
            if (subFormat == PcmSubFormat) encoding = WaveFormatEncoding.Pcm;
            else if (subFormat == FloatSubFormat) encoding = WaveFormatEncoding.IeeeFloat;
            else throw new AudioDecodeException($"unsupported WAVE_FORMAT_EXTENSIBLE sub-format {subFormat?.ToString() ?? "(missing)"}");
        }
        return encoding switch
        {
            WaveFormatEncoding.Pcm when bits is 8 or 16 or 24 or 32 => (false, bits),
            WaveFormatEncoding.IeeeFloat when bits is 32 or 64 => (true, bits),
            WaveFormatEncoding.Pcm or WaveFormatEncoding.IeeeFloat =>
                throw new AudioDecodeException($"unsupported sample size: {bits}-bit {encoding}"),
            _ => throw new AudioDecodeException($"unsupported encoding {encoding} (PCM and IEEE float are supported)"),
        };
    }

    /// <summary>The sub-format GUID of WAVE_FORMAT_EXTENSIBLE: NAudio hands the fmt chunk's extension over as
    /// extra bytes (valid bits 2, channel mask 4, then the GUID).</summary>
    private static Guid? SubFormat(WaveFormat format) => format switch
    {
        WaveFormatExtensible ext => ext.SubFormat,
        WaveFormatExtraData { ExtraData: { Length: >= 22 } extra } => new Guid(extra.AsSpan(6, 16)),
        _ => null,
    };

    /// <summary>The data chunk's bytes; the buffer is sized by what the file holds, never by what the header claims.</summary>
    private static byte[] ReadAll(WaveFileReader reader, long remaining, out long claimed)
    {
        claimed = reader.Length;
        using var buffer = new MemoryStream((int)Math.Clamp(Math.Min(claimed, remaining), 0, 1 << 28));
        // NAudio reads whole frames only.
        int align = Math.Max(1, reader.WaveFormat.BlockAlign);
        var chunk = new byte[align * Math.Max(1, (1 << 16) / align)];
        int read;
        while ((read = reader.Read(chunk, 0, chunk.Length)) > 0) buffer.Write(chunk, 0, read);
        return buffer.ToArray();
    }

    /// <summary>
    /// The largest |sample| a float WAV may hold: 16 (+24 dBFS). Float files legitimately go past ±1 (unclipped
    /// mixes and resampling overshoot reach a few dB over full scale), so ±1 itself would refuse real audio; but
    /// a value past 16 is not sound, it is bytes that are not samples (about half of all 32-bit patterns read as
    /// a float are larger), and it would push the encoders' activations far from anything they trained on.
    /// Integer PCM cannot leave [-1, 1) and is not checked.
    /// </summary>
    public const double MaxFloatSample = 16;

    /// <summary>The data chunk's samples: integer PCM maps to [-1, 1) by dividing by 2^(bits-1); 8-bit is unsigned.</summary>
    private readonly struct PcmBytes(byte[] data, int count, int bits, bool isFloat) : IInterleaved
    {
        public int Length => count;
        public bool IsFloat => isFloat;

        public double At(int index)
        {
            int bytes = bits >> 3;
            var b = data.AsSpan(index * bytes, bytes);
            if (isFloat)
                return bits == 32 ? BitConverter.ToSingle(b) : BitConverter.ToDouble(b);
            return bits switch
            {
                8 => (b[0] - 128) / 128.0,
                16 => BitConverter.ToInt16(b) / 32768.0,
                24 => ((b[0] | (b[1] << 8) | (b[2] << 16)) << 8 >> 8) / 8388608.0,
                _ => BitConverter.ToInt32(b) / 2147483648.0,
            };
        }
    }

    /// <summary>Band-limited resampling with NAudio's WDL resampler.</summary>
    public static float[] Resample(float[] mono, int fromRate, int toRate)
    {
        var resampler = new NAudio.Wave.SampleProviders.WdlResamplingSampleProvider(new ArraySampleProvider(mono, fromRate), toRate);
        long expected = (long)Math.Round(mono.LongLength * (double)toRate / fromRate);
        var output = new List<float>((int)expected + 1024);
        var chunk = new float[8192];
        int read;
        while ((read = resampler.Read(chunk, 0, chunk.Length)) > 0)
            output.AddRange(chunk.AsSpan(0, read));
        // The resampler may stop a few samples short or long of the exact length; pad or trim to it.
        var result = new float[expected];
        output.CopyTo(0, result, 0, (int)Math.Min(expected, output.Count));
        return result;
    }

    private static string OneLine(string s) => s.ReplaceLineEndings(" ").Trim();

    private sealed class ArraySampleProvider(float[] samples, int rate) : ISampleProvider
    {
        private int position;
        public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(rate, 1);

        public int Read(float[] buffer, int offset, int count)
        {
            int n = Math.Min(count, samples.Length - position);
            Array.Copy(samples, position, buffer, offset, n);
            position += n;
            return n;
        }
    }
}
