using NLayer;

namespace Vicreg.Data.Audio;

/// <summary>MP3 (MPEG-1/2/2.5 layer III, also layers I and II) → mono float, decoded by NLayer (managed). The
/// encoder's delay is not trimmed (NLayer does not read the LAME tag), so the sound starts about a frame later
/// than in ffmpeg's decode (measured in DecodeParityTests).</summary>
internal static class Mp3Decoder
{
    public static SourceAudio ReadMono(Stream stream)
    {
        using var reader = new MpegFile(stream);
        int channels = reader.Channels;
        if (channels < 1) throw new AudioDecodeException("no MPEG audio frame found");
        if (reader.SampleRate < 1) throw new AudioDecodeException("the MPEG frame header declares a sample rate of 0");
        var buffer = new FloatBuffer();
        var chunk = new float[4608 * channels];
        int read;
        while ((read = reader.ReadSamples(chunk, 0, chunk.Length)) > 0)
        {
            chunk.AsSpan(0, read).CopyTo(buffer.Reserve(read));
            buffer.Advance(read);
        }
        return new SourceAudio(buffer.Mono(channels), reader.SampleRate, channels);
    }
}
