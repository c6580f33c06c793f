using System.Text;

namespace Vicreg.Training.Interop;

/// <summary>
/// NumPy's .npy format (version 1.0) for a C-ordered little-endian float32 array, so that numpy.load and any .npy
/// reader open the embeddings: the magic "\x93NUMPY", version 1.0, a 2-byte header length, a Python-dict header padded
/// with spaces to a multiple of 64 bytes and ended by a newline, then the raw data.
/// </summary>
public static class NpyFile
{
    public static void WriteFloat32(string path, ReadOnlySpan<float> values, IReadOnlyList<long> shape)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (count != values.Length) throw new ArgumentException($"{values.Length} values do not fill the shape ({string.Join(", ", shape)})");
        string dims = shape.Count == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({dims}), }}";
        int unpadded = 6 + 2 + 2 + dict.Length + 1;
        string header = dict + new string(' ', (64 - unpadded % 64) % 64) + "\n";
        string tmp = path + ".tmp";
        using (var w = new BinaryWriter(File.Create(tmp)))
        {
            w.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 });
            w.Write((ushort)header.Length); // BinaryWriter writes little-endian
            w.Write(Encoding.ASCII.GetBytes(header));
            var bytes = new byte[values.Length * sizeof(float)];
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).CopyTo(bytes);
            w.Write(bytes);
        }
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Reads back what <see cref="WriteFloat32"/> writes (float32, C order): the values and the shape.</summary>
    public static (float[] Values, long[] Shape) ReadFloat32(string path)
    {
        using var r = new BinaryReader(File.OpenRead(path));
        var magic = r.ReadBytes(8);
        if (magic.Length < 8 || magic[0] != 0x93 || Encoding.ASCII.GetString(magic, 1, 5) != "NUMPY" || magic[6] != 1)
            throw new InvalidDataException($"{path}: not a version-1 .npy file");
        string header = Encoding.ASCII.GetString(r.ReadBytes(r.ReadUInt16()));
        if (!header.Contains("'descr': '<f4'") || header.Contains("'fortran_order': True"))
            throw new InvalidDataException($"{path}: not a C-ordered float32 array ({header.Trim()})");
        int open = header.IndexOf("'shape': (", StringComparison.Ordinal) + 10, close = header.IndexOf(')', open);
        var shape = header[open..close].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(long.Parse).ToArray();
        long count = shape.Aggregate(1L, (a, b) => a * b);
        var values = new float[count];
        var bytes = r.ReadBytes((int)(count * sizeof(float)));
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return (values, shape);
    }
}
