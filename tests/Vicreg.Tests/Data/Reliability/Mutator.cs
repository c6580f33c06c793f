using System.Text;

namespace Vicreg.Tests.Data.Reliability;

/// <summary>
/// Seeded byte-level mutations of a corpus file, for <see cref="ReaderFuzzTests"/>: bit flips, truncations,
/// inserted random chunks, repeated chunks, runs of 0x00/0xFF, and header fields overwritten with extreme
/// values (0, 1, the signed and unsigned extremes of 1, 2 and 4 bytes, either byte order) at the offsets the
/// format gives its sizes and counts (<see cref="HeaderFields"/>), or anywhere in the first 64 bytes.
/// The same (seed file, Random state) always gives the same bytes.
/// </summary>
internal static class Mutator
{
    private static readonly uint[] Extremes = { 0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF };

    public static (byte[] Bytes, string What) Mutate(byte[] seed, Random r)
    {
        var b = new List<byte>(seed);
        switch (r.Next(6))
        {
            case 0:
            {
                int flips = 1 + r.Next(8);
                if (b.Count == 0) return (new byte[] { (byte)r.Next(256) }, "one random byte");
                for (int i = 0; i < flips; i++) { int at = r.Next(b.Count); b[at] ^= (byte)(1 << r.Next(8)); }
                return (b.ToArray(), $"{flips} bit flips");
            }
            case 1:
            {
                int keep = b.Count == 0 ? 0 : r.Next(b.Count);
                return (b.Take(keep).ToArray(), $"truncated to {keep} of {b.Count} bytes");
            }
            case 2:
            {
                var chunk = new byte[1 + r.Next(64)];
                r.NextBytes(chunk);
                int at = r.Next(b.Count + 1);
                b.InsertRange(at, chunk);
                return (b.ToArray(), $"{chunk.Length} random bytes inserted at {at}");
            }
            case 3:
            {
                if (b.Count == 0) return (Array.Empty<byte>(), "empty");
                int start = r.Next(b.Count), length = 1 + r.Next(Math.Min(256, b.Count - start)), times = 1 + r.Next(4);
                var chunk = b.GetRange(start, length);
                int at = r.Next(b.Count + 1);
                for (int i = 0; i < times; i++) b.InsertRange(at, chunk);
                return (b.ToArray(), $"bytes {start}..{start + length} repeated {times}× at {at}");
            }
            case 4:
            {
                if (b.Count == 0) return (Array.Empty<byte>(), "empty");
                int start = r.Next(b.Count), length = 1 + r.Next(Math.Min(32, b.Count - start));
                byte fill = r.Next(2) == 0 ? (byte)0 : (byte)0xFF;
                for (int i = start; i < start + length; i++) b[i] = fill;
                return (b.ToArray(), $"bytes {start}..{start + length} set to 0x{fill:X2}");
            }
            default:
            {
                var fields = HeaderFields(seed);
                int at = fields.Count > 0 && r.Next(4) != 0 ? fields[r.Next(fields.Count)] : r.Next(Math.Min(64, Math.Max(1, seed.Length)));
                int width = new[] { 1, 2, 4 }[r.Next(3)];
                uint value = Extremes[r.Next(Extremes.Length)];
                bool big = r.Next(2) == 0;
                for (int i = 0; i < width && at + i < b.Count; i++)
                    b[at + i] = (byte)(value >> (8 * (big ? width - 1 - i : i)));
                return (b.ToArray(), $"{width}-byte field at {at} set to 0x{value:X} ({(big ? "big" : "little")}-endian)");
            }
        }
    }

    /// <summary>Offsets of the size, count and length fields of a file's headers, by its magic bytes.</summary>
    public static List<int> HeaderFields(byte[] d)
    {
        var f = new List<int>();
        bool Magic(int at, string s) => d.Length >= at + s.Length && Encoding.Latin1.GetString(d, at, s.Length) == s;
        if (d.Length > 3 && d[0] == 0xFF && d[1] == 0xD8)
        {
            // Segment lengths, and the frame header's height, width and component count.
            for (int i = 2; i + 3 < d.Length && i < 4096;)
            {
                if (d[i] != 0xFF) break;
                byte m = d[i + 1];
                f.Add(i + 2);
                if (m is >= 0xC0 and <= 0xC3) f.AddRange(new[] { i + 5, i + 7, i + 9 });
                if (m == 0xDA) break;
                i += 2 + (d[i + 2] << 8 | d[i + 3]);
            }
        }
        else if (Magic(1, "PNG"))
        {
            f.AddRange(new[] { 16, 20, 24, 25, 28 });
            for (long i = 8; i + 8 <= d.Length; i += 12 + (uint)(d[i] << 24 | d[i + 1] << 16 | d[i + 2] << 8 | d[i + 3])) f.Add((int)i);
        }
        else if (Magic(0, "BM")) f.AddRange(new[] { 2, 10, 14, 18, 22, 26, 28, 30, 34, 46 });
        else if (Magic(0, "GIF")) f.AddRange(new[] { 6, 8, 10, 11 });
        else if (Magic(0, "II*\0") || Magic(0, "MM\0*"))
        {
            f.Add(4);
            int ifd = d[0] == 'I' ? BitConverter.ToInt32(d, 4) : d[4] << 24 | d[5] << 16 | d[6] << 8 | d[7];
            for (int e = 0; ifd > 0 && ifd + 2 + 12 * (e + 1) <= d.Length && e < 24; e++) f.AddRange(new[] { ifd + 2 + 12 * e + 4, ifd + 2 + 12 * e + 8 });
        }
        else if (Magic(0, "RIFF") && Magic(8, "WEBP")) f.AddRange(new[] { 4, 16, 20, 24, 26, 28 });
        else if (Magic(0, "RIFF"))
        {
            f.AddRange(new[] { 4, 16, 20, 22, 24, 28, 32, 34, 36 });
            for (int i = 12; i + 8 <= d.Length && i < 4096; i++) if (Magic(i, "data")) { f.Add(i + 4); break; }
        }
        else if (Magic(0, "fLaC"))
        {
            // STREAMINFO's block and frame sizes, rate/channels/bits and total samples, then each metadata block's
            // header, and the first frame's header (block size, rate, channels, sample size codes, coded number).
            f.AddRange(new[] { 4, 5, 8, 10, 12, 15, 18, 20, 21 });
            int at = 4;
            for (int b = 0; at + 4 <= d.Length && b < 16; b++)
            {
                f.Add(at); f.Add(at + 1);
                bool last = (d[at] & 0x80) != 0;
                at += 4 + (d[at + 1] << 16 | d[at + 2] << 8 | d[at + 3]);
                if (last) break;
            }
            if (at + 6 <= d.Length) f.AddRange(new[] { at + 1, at + 2, at + 3, at + 4, at + 5 });
        }
        else if (Magic(0, "OggS"))
        {
            // The first pages' header type, granule position, sequence number and lacing, and the identification
            // header's channels, rate and (Opus) pre-skip and gain.
            for (int page = 0, at = 0; page < 3 && at + 27 <= d.Length && Magic(at, "OggS"); page++)
            {
                f.AddRange(new[] { at + 5, at + 6, at + 10, at + 18, at + 26, at + 27 });
                int segments = d[at + 26], body = 0;
                for (int i = 0; i < segments && at + 27 + i < d.Length; i++) body += d[at + 27 + i];
                if (page == 0) f.AddRange(new[] { at + 27 + segments + 9, at + 27 + segments + 10, at + 27 + segments + 12, at + 27 + segments + 16, at + 27 + segments + 18 });
                at += 27 + segments + body;
            }
        }
        else if (Magic(0, "ID3") || (d.Length > 1 && d[0] == 0xFF && (d[1] & 0xE0) == 0xE0))
        {
            // The ID3v2 tag size, then the first MPEG frame header's version/layer, bit rate/rate and channel mode.
            int at = Magic(0, "ID3") && d.Length > 10 ? 10 + (d[6] << 21 | d[7] << 14 | d[8] << 7 | d[9]) : 0;
            if (at > 0) f.Add(6);
            if (at + 4 <= d.Length) f.AddRange(new[] { at + 1, at + 2, at + 3 });
        }
        return f;
    }
}
