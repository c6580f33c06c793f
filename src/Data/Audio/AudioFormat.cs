using System.Text;

namespace Vicreg.Data.Audio;

/// <summary>The audio formats read, as recognised by a file's first bytes (never by its extension).</summary>
public enum AudioFormat { Unknown, Wav, Flac, OggVorbis, OggOpus, Mp3 }

public static class AudioFormats
{
    /// <summary>The extensions the folder layouts list as audio. Which decoder reads a file is decided by its
    /// content (<see cref="Sniff"/>), so a mislabelled file still decodes.</summary>
    public static readonly IReadOnlyList<string> Extensions = [".wav", ".flac", ".ogg", ".oga", ".opus", ".mp3"];

    /// <summary>Bytes enough for <see cref="Sniff"/>: an Ogg first page is 27 bytes plus up to 255 lacing values.</summary>
    public const int SniffBytes = 27 + 255 + 8;

    /// <summary>The format of a file that starts with <paramref name="head"/>: RIFF/WAVE, fLaC, an Ogg page whose
    /// first packet is a Vorbis or Opus identification header, or MP3 (an ID3v2 tag or an MPEG audio frame sync).</summary>
    public static AudioFormat Sniff(ReadOnlySpan<byte> head)
    {
        if (At(head, 0, "RIFF") && At(head, 8, "WAVE")) return AudioFormat.Wav;
        if (At(head, 0, "fLaC")) return AudioFormat.Flac;
        if (At(head, 0, "OggS") && head.Length > 27)
        {
            int packet = 27 + head[26];
            if (At(head, packet, "\u0001vorbis")) return AudioFormat.OggVorbis;
            if (At(head, packet, "OpusHead")) return AudioFormat.OggOpus;
            return AudioFormat.Unknown;
        }
        if (At(head, 0, "ID3")) return AudioFormat.Mp3;
        // An MPEG-1/2/2.5 layer III frame header: 11 sync bits, a version other than "reserved", layer III.
        if (head.Length >= 4 && head[0] == 0xFF && (head[1] & 0xE0) == 0xE0 && (head[1] & 0x18) != 0x08 && (head[1] & 0x06) == 0x02
            && (head[2] & 0xF0) != 0xF0 && (head[2] & 0x0C) != 0x0C)
            return AudioFormat.Mp3;
        return AudioFormat.Unknown;
    }

    private static bool At(ReadOnlySpan<byte> head, int offset, string magic) =>
        head.Length >= offset + magic.Length && Encoding.Latin1.GetString(head.Slice(offset, magic.Length)) == magic;

    /// <summary>How the format is named in messages.</summary>
    public static string Name(this AudioFormat format) => format switch
    {
        AudioFormat.Wav => "WAV",
        AudioFormat.Flac => "FLAC",
        AudioFormat.OggVorbis => "Ogg Vorbis",
        AudioFormat.OggOpus => "Ogg Opus",
        AudioFormat.Mp3 => "MP3",
        _ => "unknown",
    };
}
