namespace Vicreg.Data;

/// <summary>
/// Whether an image file ends before its format's end: ImageSharp decodes a JPEG cut in half without a word
/// (grey below the cut), where Pillow refuses it ("image file is truncated"). The check walks the file's
/// structure in memory, skipping segment bodies, so it costs a scan for 0xFF bytes in JPEG scan data and a
/// few reads elsewhere. Complete means: JPEG reaches its EOI marker (bytes after it, such as a motion photo's
/// video, are allowed); PNG reaches its IEND chunk (stricter than Pillow, which accepts a PNG whose last IDAT
/// happens to end at a chunk boundary: the bytes cannot tell that cut apart from a whole file); GIF reaches its
/// trailer (0x3B); WebP and BMP hold the bytes their header declares; TIFF holds every strip (or tile) its
/// first directory points at. A file whose structure is not recognised at all is left to the decoder, which
/// then refuses it or not.
/// </summary>
public static class ImageTruncation
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Why the file is truncated, or null if it is whole (or not a format checked here).</summary>
    public static string? Check(ReadOnlySpan<byte> d)
    {
        if (d.Length >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) return Jpeg(d);
        if (d.Length >= 8 && d[..8].SequenceEqual(PngSignature)) return Png(d);
        if (d.Length >= 6 && (d[..6].SequenceEqual("GIF87a"u8) || d[..6].SequenceEqual("GIF89a"u8))) return Gif(d);
        if (d.Length >= 12 && d[..4].SequenceEqual("RIFF"u8) && d[8..12].SequenceEqual("WEBP"u8)) return Declared(d, 8L + U32LE(d, 4), "WebP RIFF header");
        if (d.Length >= 14 && d[0] == (byte)'B' && d[1] == (byte)'M') return Bmp(d);
        if (d.Length >= 8 && (d[..4].SequenceEqual("II*\0"u8) || d[..4].SequenceEqual("MM\0*"u8))) return Tiff(d);
        return null;
    }

    private static string Cut(string format, string what) => $"truncated {format}: the file ends before {what}";

    private static string? Jpeg(ReadOnlySpan<byte> d)
    {
        int i = 2;
        while (true)
        {
            int ff = d[i..].IndexOf((byte)0xFF);
            if (ff < 0) return Cut("JPEG", "its end-of-image marker (EOI)");
            i += ff;
            if (i + 1 >= d.Length) return Cut("JPEG", "its end-of-image marker (EOI)");
            byte m = d[i + 1];
            if (m == 0xFF) { i++; continue; }                                          // fill byte
            if (m == 0xD9) return null;                                                // EOI
            if (m is 0x00 or 0x01 or 0xD8 or >= 0xD0 and <= 0xD7) { i += 2; continue; } // no length field
            if (i + 3 >= d.Length) return Cut("JPEG", "its end-of-image marker (EOI)");
            long next = (long)i + 2 + ((d[i + 2] << 8) | d[i + 3]);
            if (next > d.Length) return Cut("JPEG", $"the end of its 0xFF{m:X2} segment");
            i = (int)next;
            if (m != 0xDA) continue;
            // Entropy-coded data after a start of scan: 0xFF is followed by 0x00 (a stuffed byte) or a restart marker.
            while (true)
            {
                ff = d[i..].IndexOf((byte)0xFF);
                if (ff < 0 || i + ff + 1 >= d.Length) return Cut("JPEG", "the end of its scan data (no EOI marker)");
                i += ff;
                byte b = d[i + 1];
                if (b == 0x00 || b is >= 0xD0 and <= 0xD7) { i += 2; continue; }
                break;
            }
        }
    }

    private static string? Png(ReadOnlySpan<byte> d)
    {
        long i = 8;
        while (true)
        {
            if (i + 8 > d.Length) return Cut("PNG", "its IEND chunk");
            long length = U32BE(d, (int)i);
            bool end = d.Slice((int)i + 4, 4).SequenceEqual("IEND"u8);
            long next = i + 12 + length;
            if (next > d.Length) return Cut("PNG", end ? "the end of its IEND chunk" : "the end of a chunk (and its IEND chunk)");
            if (end) return null;
            i = next;
        }
    }

    private static string? Gif(ReadOnlySpan<byte> d)
    {
        const string Trailer = "its trailer byte (0x3B)";
        if (d.Length < 13) return Cut("GIF", "its screen descriptor");
        long i = 13 + ColorTable(d[10]);
        while (true)
        {
            if (i >= d.Length) return Cut("GIF", Trailer);
            byte kind = d[(int)i];
            if (kind == 0x3B) return null;
            if (kind == 0x21) i += 2;                                              // extension: introducer, label
            else if (kind == 0x2C)                                                 // image: descriptor, table, LZW size
            {
                if (i + 10 > d.Length) return Cut("GIF", Trailer);
                i += 10 + ColorTable(d[(int)i + 9]) + 1;
            }
            else return null;                                                      // unknown block: the decoder decides
            // Data sub-blocks: a length byte each, ended by a zero length.
            while (true)
            {
                if (i >= d.Length) return Cut("GIF", Trailer);
                byte n = d[(int)i];
                i += 1 + n;
                if (n == 0) break;
            }
        }
    }

    private static long ColorTable(byte packed) => (packed & 0x80) != 0 ? 3L << ((packed & 7) + 1) : 0;

    private static string? Bmp(ReadOnlySpan<byte> d)
    {
        // bfSize is the whole file's size; some writers leave it 0, which says nothing.
        long declared = U32LE(d, 2);
        return declared == 0 ? null : Declared(d, declared, "BMP file header");
    }

    /// <summary>The end of the last strip (or tile) of the first image file directory against the file's length.</summary>
    private static string? Tiff(ReadOnlySpan<byte> d)
    {
        bool little = d[0] == (byte)'I';
        long ifd = U32(d, little, 4), entries = U16(d, little, ifd);
        if (ifd < 8 || entries < 0 || ifd + 2 + 12 * entries > d.Length) return Cut("TIFF", "the end of its first image directory");
        long[]? offsets = null, counts = null;
        for (long e = 0; e < entries; e++)
        {
            long at = ifd + 2 + 12 * e, tag = U16(d, little, at), type = U16(d, little, at + 2), n = U32(d, little, at + 4);
            if (tag is not (273 or 279 or 324 or 325) || type is not (3 or 4) || n is < 1 or > 1 << 20) continue;
            int size = type == 3 ? 2 : 4;
            long values = n * size <= 4 ? at + 8 : U32(d, little, at + 8);
            if (values < 0 || values + n * size > d.Length) return Cut("TIFF", "the end of its strip table");
            var list = new long[n];
            for (long k = 0; k < n; k++) list[k] = size == 2 ? U16(d, little, values + 2 * k) : U32(d, little, values + 4 * k);
            if (tag is 273 or 324) offsets = list; else counts = list;
        }
        if (offsets is null || counts is null || offsets.Length != counts.Length) return null;
        long end = 0;
        for (int k = 0; k < offsets.Length; k++) end = Math.Max(end, offsets[k] + counts[k]);
        return Declared(d, end, "TIFF strip table");
    }

    private static string? Declared(ReadOnlySpan<byte> d, long declared, string header) =>
        declared > d.Length ? $"truncated {header.Split(' ')[0]}: the {header} declares {declared:N0} bytes, the file holds {d.Length:N0}" : null;

    private static long U16(ReadOnlySpan<byte> d, bool little, long i) =>
        i < 0 || i + 2 > d.Length ? -1 : little ? d[(int)i] | d[(int)i + 1] << 8 : d[(int)i] << 8 | d[(int)i + 1];
    private static long U32(ReadOnlySpan<byte> d, bool little, long i) =>
        i < 0 || i + 4 > d.Length ? -1 : little ? U32LE(d, (int)i) : U32BE(d, (int)i);
    private static long U32LE(ReadOnlySpan<byte> d, int i) => (uint)(d[i] | d[i + 1] << 8 | d[i + 2] << 16 | d[i + 3] << 24);
    private static long U32BE(ReadOnlySpan<byte> d, int i) => (uint)(d[i] << 24 | d[i + 1] << 16 | d[i + 2] << 8 | d[i + 3]);
}
