using System.Buffers.Binary;
using System.IO.Compression;

/// <summary>An 8-bit RGB image, pixels interleaved row by row.</summary>
sealed record Rgb(int Width, int Height, byte[] Pixels);

/// <summary>
/// A small PNG reader (8-bit grey, grey + alpha, RGB or RGBA, not interlaced: what image tools write by default), so
/// that the sample needs nothing beyond .NET and ONNX Runtime. A real application would use its image library.
/// </summary>
static class Png
{
    public static Rgb Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8 || BinaryPrimitives.ReadUInt64BigEndian(bytes) != 0x89504E470D0A1A0A) throw new InvalidDataException("not a PNG file");
        int width = 0, height = 0, colorType = -1;
        using var idat = new MemoryStream();
        for (int at = 8; at + 8 <= bytes.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at));
            string type = System.Text.Encoding.ASCII.GetString(bytes, at + 4, 4);
            if (length < 0 || at + 12 + length > bytes.Length) throw new InvalidDataException($"chunk {type} runs past the end of the file");
            var data = bytes.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                if (data[8] != 8 || data[12] != 0) throw new InvalidDataException($"bit depth {data[8]}{(data[12] != 0 ? ", interlaced" : "")}: only 8-bit, non-interlaced PNGs are read here");
                colorType = data[9];
            }
            else if (type == "IDAT") idat.Write(data);
            else if (type == "IEND") break;
            at += 12 + length;
        }
        int channels = colorType switch { 0 => 1, 4 => 2, 2 => 3, 6 => 4, _ => throw new InvalidDataException($"PNG colour type {colorType} (palette?) is not read here") };
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        int stride = width * channels;
        var raw = new byte[height * (stride + 1)];
        z.ReadExactly(raw);
        var pixels = new byte[height * stride];
        for (int y = 0; y < height; y++)
        {
            byte filter = raw[y * (stride + 1)];
            var line = raw.AsSpan(y * (stride + 1) + 1, stride);
            var prior = y > 0 ? pixels.AsSpan((y - 1) * stride, stride) : new byte[stride];
            var output = pixels.AsSpan(y * stride, stride);
            for (int i = 0; i < stride; i++)
            {
                int a = i >= channels ? output[i - channels] : 0, b = prior[i], c = i >= channels ? prior[i - channels] : 0;
                output[i] = (byte)(line[i] + filter switch
                {
                    0 => 0, 1 => a, 2 => b, 3 => (a + b) / 2, 4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"row {y}: unknown filter {filter}"),
                });
            }
        }
        var rgb = new byte[width * height * 3];
        for (int p = 0; p < width * height; p++)
            for (int c = 0; c < 3; c++) rgb[p * 3 + c] = pixels[p * channels + (channels >= 3 ? c : 0)];
        return new Rgb(width, height, rgb);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
