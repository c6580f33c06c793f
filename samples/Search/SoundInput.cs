using System.Buffers.Binary;

/// <summary>
/// A sound as the exported audio branch takes it: mono float samples at the metadata's sample_rate, the centred
/// crop_samples of the clip, zero-padded at the end when shorter. The log-mel front end is inside the model, so raw
/// samples are all it needs. Reads PCM 16-bit and float 32-bit WAV (channels averaged); another rate is refused.
/// </summary>
static class SoundInput
{
    public static float[] Prepare(string path, int sampleRate, int cropSamples)
    {
        var (samples, rate) = ReadWav(path);
        if (rate != sampleRate) throw new InvalidDataException($"{rate} Hz; the model takes {sampleRate} Hz (resample it first)");
        var crop = new float[cropSamples];
        int valid = Math.Min(cropSamples, samples.Length), start = (samples.Length - valid) / 2;
        Array.Copy(samples, start, crop, 0, valid);
        return crop;
    }

    private static (float[] Samples, int Rate) ReadWav(string path)
    {
        var b = File.ReadAllBytes(path);
        if (b.Length < 12 || System.Text.Encoding.ASCII.GetString(b, 0, 4) != "RIFF" || System.Text.Encoding.ASCII.GetString(b, 8, 4) != "WAVE")
            throw new InvalidDataException("not a RIFF/WAVE file");
        int channels = 0, rate = 0, bits = 0, format = 0;
        for (int at = 12; at + 8 <= b.Length;)
        {
            string id = System.Text.Encoding.ASCII.GetString(b, at, 4);
            int size = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(at + 4));
            if (id == "fmt ")
            {
                format = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at + 8));
                channels = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at + 10));
                rate = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(at + 12));
                bits = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at + 22));
            }
            else if (id == "data")
            {
                if (channels == 0) throw new InvalidDataException("data before the fmt chunk");
                bool pcm16 = format == 1 && bits == 16, float32 = format == 3 && bits == 32;
                if (!pcm16 && !float32) throw new InvalidDataException($"format {format}, {bits} bit: only PCM 16-bit and float 32-bit WAV are read here");
                int bytesPer = bits / 8, frames = Math.Min(size, b.Length - at - 8) / (bytesPer * channels);
                var mono = new float[frames];
                for (int f = 0; f < frames; f++)
                {
                    double sum = 0;
                    for (int c = 0; c < channels; c++)
                    {
                        var s = b.AsSpan(at + 8 + (f * channels + c) * bytesPer);
                        sum += pcm16 ? BinaryPrimitives.ReadInt16LittleEndian(s) / 32768.0 : BinaryPrimitives.ReadSingleLittleEndian(s);
                    }
                    mono[f] = (float)(sum / channels);
                }
                return (mono, rate);
            }
            at += 8 + size + (size & 1);
        }
        throw new InvalidDataException("no data chunk");
    }
}
