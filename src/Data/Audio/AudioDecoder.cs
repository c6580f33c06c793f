namespace Vicreg.Data.Audio;

/// <summary>
/// Any audio file → mono float at a target rate: the one path every audio and paired data kind reads through.
/// The decoder is chosen by the file's content (<see cref="AudioFormats.Sniff"/>): WAV (NAudio, <see cref="WavDecoder"/>),
/// FLAC (<see cref="FlacDecoder"/>), Ogg Vorbis (NVorbis), Ogg Opus (Concentus) and MP3 (NLayer). Every format is
/// mixed to mono with the same checks (<see cref="MonoMix"/>) and resampled by the same resampler.
/// </summary>
public static class AudioDecoder
{
    /// <summary>Decodes <paramref name="path"/>; throws <see cref="AudioDecodeException"/> with a one-line reason
    /// when the file cannot be read. <paramref name="targetRate"/> 0 keeps the file's rate.</summary>
    public static DecodedAudio Decode(string path, int targetRate = 16000)
    {
        using var stream = AudioFiles.OpenReadable(path);
        return Decode(stream, targetRate);
    }

    public static DecodedAudio Decode(Stream stream, int targetRate = 16000)
    {
        var head = new byte[AudioFormats.SniffBytes];
        long start = stream.Position;
        int n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = start;
        var format = AudioFormats.Sniff(head.AsSpan(0, n));
        if (format == AudioFormat.Unknown)
            throw new AudioDecodeException("not a WAV, FLAC, Ogg Vorbis, Ogg Opus or MP3 file (unrecognised first bytes)");
        if (format == AudioFormat.Wav) return Finish(WavDecoder.ReadMono(stream), targetRate);
        SourceAudio source;
        try
        {
            source = format switch
            {
                AudioFormat.Flac => FlacDecoder.ReadMono(stream),
                AudioFormat.OggVorbis => VorbisDecoder.ReadMono(stream),
                AudioFormat.OggOpus => OggOpusDecoder.ReadMono(stream),
                _ => Mp3Decoder.ReadMono(stream),
            };
        }
        // The decoding libraries report damaged data with whatever exception their code runs into; each is one
        // line about this file. Other I/O errors go on to the loader, which tells a vanished folder from a bad file.
        catch (Exception e) when (e is not (AudioDecodeException or OutOfMemoryException) && (e is EndOfStreamException || e is not IOException))
        {
            throw new AudioDecodeException($"not a readable {format.Name()} file ({e.Message.ReplaceLineEndings(" ").Trim()})");
        }
        if (source.Mono.Length == 0) throw new AudioDecodeException($"the {format.Name()} file decodes to no samples");
        return Finish(source, targetRate);
    }

    /// <summary>Resamples a file's mono sound to <paramref name="targetRate"/> (0: keep its rate).</summary>
    internal static DecodedAudio Finish(SourceAudio source, int targetRate)
    {
        float[] resampled = targetRate > 0 && targetRate != source.Rate ? WavDecoder.Resample(source.Mono, source.Rate, targetRate) : source.Mono;
        return new DecodedAudio(resampled, targetRate > 0 ? targetRate : source.Rate, source.Channels, source.Rate, source.Note);
    }
}
