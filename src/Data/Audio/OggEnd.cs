namespace Vicreg.Data.Audio;

/// <summary>Whether an Ogg file ends with its stream's last page: a file cut short loses the page that carries the
/// end-of-stream flag, which the decoders themselves do not report.</summary>
internal static class OggEnd
{
    /// <summary>A note for a file whose last page does not end the stream, else null.</summary>
    public static string? TruncationNote(byte[] file, int length, long decodedSamples)
    {
        int last = file.AsSpan(0, length).LastIndexOf("OggS"u8);
        bool complete = last >= 0 && last + 27 <= length && (file[last + 5] & 0x04) != 0 && last + 27 + file[last + 26] <= length
            && last + 27 + file[last + 26] + Body(file, last) <= length;
        return complete ? null : $"truncated: the Ogg stream has no last page (end-of-stream flag); using the {decodedSamples} samples that decode";
    }

    private static int Body(byte[] file, int page)
    {
        int sum = 0;
        for (int i = 0; i < file[page + 26]; i++) sum += file[page + 27 + i];
        return sum;
    }

    /// <summary>The rest of a stream in memory, for a check on the bytes and a decoder to read.</summary>
    public static MemoryStream Buffered(Stream stream, out byte[] bytes, out int length)
    {
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        bytes = copy.GetBuffer();
        length = (int)copy.Length;
        return new MemoryStream(bytes, 0, length, writable: false);
    }
}
