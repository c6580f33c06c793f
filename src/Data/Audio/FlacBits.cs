using System.Buffers.Binary;
using System.Numerics;

namespace Vicreg.Data.Audio;

/// <summary>A big-endian bit reader over a FLAC file's frames. Reading past the end throws
/// <see cref="AudioDecodeException"/> ("ends inside a frame"), which is how a truncated file is recognised.</summary>
internal sealed class FlacBits
{
    private readonly byte[] data; // padded by 8 zero bytes so that a 64-bit load never leaves the array
    private readonly long endBit;

    public FlacBits(byte[] bytes, int length)
    {
        data = new byte[length + 8];
        Array.Copy(bytes, data, length);
        endBit = (long)length * 8;
    }

    public long Position { get; private set; }
    public int BytePosition => (int)(Position >> 3);
    public bool AtEnd => Position >= endBit;
    public int Length => (int)(endBit >> 3);
    public byte this[int index] => data[index];

    public uint Read(int n)
    {
        if (n == 0) return 0;
        Need(n);
        ulong window = BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(BytePosition));
        uint value = (uint)((window << (int)(Position & 7)) >> (64 - n));
        Position += n;
        return value;
    }

    public int ReadSigned(int n) => n == 0 ? 0 : (int)Read(n) << (32 - n) >> (32 - n);

    /// <summary>The number of 0 bits before the next 1 bit, which is consumed.</summary>
    public int ReadUnary()
    {
        int zeros = 0;
        while (true)
        {
            if (Position >= endBit) throw Truncated();
            ulong window = BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(BytePosition)) << (int)(Position & 7);
            int available = (int)Math.Min(56, endBit - Position);
            int lead = BitOperations.LeadingZeroCount(window);
            if (lead < available)
            {
                Position += lead + 1;
                return zeros + lead;
            }
            Position += available;
            zeros += available;
        }
    }

    public void AlignToByte() => Position = (Position + 7) & ~7L;

    public void Seek(int bytePosition) => Position = (long)bytePosition * 8;

    private void Need(int n)
    {
        if (Position + n > endBit) throw Truncated();
    }

    private static AudioDecodeException Truncated() => new("ends inside a frame");
}
