using NLayer;

namespace Vicreg.Data.Audio;

/// <summary>MP3 (MPEG-1/2/2.5 layer III, also layers I and II) → mono float, decoded by NLayer (managed). The
/// encoder's delay is not trimmed (NLayer does not read the LAME tag), so the sound starts about a frame later
/// than in ffmpeg's decode (measured in DecodeParityTests). MP3 states no length (short of a Xing/LAME
/// tag, not read here), so a file cut short decodes to the frames it holds without a note.</summary>
internal static class Mp3Decoder
{
    public static SourceAudio ReadMono(Stream stream)
    {
        using var reader = new MpegFile(AfterId3Tag(stream));
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

    /// <summary>The MPEG frames after a leading ID3v2 tag, which is skipped here: NLayer would allocate whatever size
    /// the tag's header claims (a damaged header claims up to 256 MB).</summary>
    private static Stream AfterId3Tag(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        byte[] d = copy.GetBuffer();
        int length = (int)copy.Length, start = 0;
        if (length >= 10 && d[0] == 'I' && d[1] == 'D' && d[2] == '3')
        {
            if (((d[6] | d[7] | d[8] | d[9]) & 0x80) != 0) throw new AudioDecodeException("the ID3v2 tag's size is malformed");
            long size = 10L + (d[6] << 21 | d[7] << 14 | d[8] << 7 | d[9]) + ((d[5] & 0x10) != 0 ? 10 : 0); // a footer adds 10
            if (size >= length) throw new AudioDecodeException($"the ID3v2 tag claims {size} bytes, the file holds {length}");
            start = (int)size;
        }
        return new MemoryStream(d, start, length - start, writable: false);
    }
}
