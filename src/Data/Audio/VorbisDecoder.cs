using NVorbis;

namespace Vicreg.Data.Audio;

/// <summary>Ogg Vorbis → mono float, decoded by NVorbis (managed). The first logical stream is read; a file
/// cut short decodes to what it holds, with a note (<see cref="OggEnd"/>).</summary>
internal static class VorbisDecoder
{
    public static SourceAudio ReadMono(Stream stream)
    {
        using var buffered = OggEnd.Buffered(stream, out var bytes, out int length);
        using var reader = new VorbisReader(buffered, closeOnDispose: false);
        int channels = reader.Channels;
        if (channels < 1) throw new AudioDecodeException("the Vorbis header declares 0 channels");
        if (reader.SampleRate < 1) throw new AudioDecodeException("the Vorbis header declares a sample rate of 0");
        var buffer = new FloatBuffer();
        int read;
        while ((read = reader.ReadSamples(buffer.Reserve(4096 * channels))) > 0) buffer.Advance(read);
        var mono = buffer.Mono(channels);
        return new SourceAudio(mono, reader.SampleRate, channels, OggEnd.TruncationNote(bytes, length, mono.Length));
    }
}
