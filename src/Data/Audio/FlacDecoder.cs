using System.Buffers.Binary;

namespace Vicreg.Data.Audio;

/// <summary>
/// FLAC → mono float, following the format's specification (RFC 9639): STREAMINFO, then frames of constant,
/// verbatim, fixed-predictor and LPC subframes with Rice-coded residuals, wasted bits and the three stereo
/// decorrelations. Written here because no managed FLAC decoder is on the package registry; it is lossless, so
/// its output is checked sample for sample against ffmpeg's (FlacParityTests). Every frame's CRC-16 is checked:
/// decoding stops at the first damaged or missing frame, and what came before it is used, with a note.
/// </summary>
internal static class FlacDecoder
{
    private const int MaxChannels = 8;

    private sealed record StreamInfo(int SampleRate, int Channels, int BitsPerSample, long TotalSamples);

    public static SourceAudio ReadMono(Stream stream)
    {
        byte[] file = ReadToEnd(stream);
        var info = ReadMetadata(file, out int framesStart);
        var bits = new FlacBits(file, file.Length);
        bits.Seek(framesStart);
        var output = new Interleaved(info.Channels);
        string? stopped = null;
        while (!bits.AtEnd)
        {
            int frameStart = bits.BytePosition;
            try { DecodeFrame(bits, info, output); }
            catch (AudioDecodeException e)
            {
                // Trailing bytes that are not a frame (a tag) end the stream quietly once STREAMINFO's count is reached.
                if (info.TotalSamples == 0 || output.Frames < info.TotalSamples)
                    stopped = $"frame at byte {frameStart} {e.Message}";
                break;
            }
        }
        if (output.Frames == 0)
            throw new AudioDecodeException(stopped is null ? "no audio frames" : $"no audio frame decodes ({stopped})");
        string? note = stopped is null ? null
            : info.TotalSamples > 0 ? $"truncated or damaged: STREAMINFO claims {info.TotalSamples} samples, {output.Frames} decode before the {stopped}; using those"
            : $"damaged: {output.Frames} samples decode before the {stopped}; using those";
        float scale = 1f / (1L << (info.BitsPerSample - 1));
        var mono = MonoMix.Mix(new IntSamples(output.Samples, (int)(output.Frames * info.Channels), scale), info.Channels);
        return new SourceAudio(mono, info.SampleRate, info.Channels, note);
    }

    private static byte[] ReadToEnd(Stream stream)
    {
        using var copy = new MemoryStream(stream.CanSeek ? (int)Math.Min(int.MaxValue, stream.Length - stream.Position) : 1 << 16);
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The metadata blocks after "fLaC": STREAMINFO is read, the others skipped.</summary>
    private static StreamInfo ReadMetadata(byte[] file, out int framesStart)
    {
        int at = 4;
        StreamInfo? info = null;
        while (true)
        {
            if (at + 4 > file.Length) throw new AudioDecodeException("ends inside the metadata blocks");
            bool last = (file[at] & 0x80) != 0;
            int type = file[at] & 0x7F;
            int length = file[at + 1] << 16 | file[at + 2] << 8 | file[at + 3];
            at += 4;
            if (at + length > file.Length) throw new AudioDecodeException("ends inside the metadata blocks");
            if (type == 0)
            {
                if (length < 34) throw new AudioDecodeException($"STREAMINFO is {length} bytes (34 expected)");
                ulong packed = BinaryPrimitives.ReadUInt64BigEndian(file.AsSpan(at + 10));
                int rate = (int)(packed >> 44);
                int channels = (int)(packed >> 41 & 7) + 1;
                int bps = (int)(packed >> 36 & 31) + 1;
                long total = (long)(packed & 0xF_FFFF_FFFF);
                if (rate == 0) throw new AudioDecodeException("STREAMINFO declares a sample rate of 0");
                if (bps < 4) throw new AudioDecodeException($"STREAMINFO declares {bps} bits per sample (4 to 32 are valid)");
                info = new StreamInfo(rate, channels, bps, total);
            }
            else if (info is null) throw new AudioDecodeException("the first metadata block is not STREAMINFO");
            at += length;
            if (last) break;
        }
        framesStart = at;
        return info!;
    }

    private static readonly int[] FixedRates = [0, 88200, 176400, 192000, 8000, 16000, 22050, 24000, 32000, 44100, 48000, 96000];
    private static readonly int[] FixedSampleSizes = [0, 8, 12, 0, 16, 20, 24, 32];

    private static void DecodeFrame(FlacBits bits, StreamInfo info, Interleaved output)
    {
        int start = bits.BytePosition;
        if (bits.Read(15) != 0x7FFC) throw new AudioDecodeException("has no frame sync code");
        bits.Read(1); // blocking strategy: fixed or variable, which only changes what the coded number counts
        int blockCode = (int)bits.Read(4), rateCode = (int)bits.Read(4), channelCode = (int)bits.Read(4), sizeCode = (int)bits.Read(3);
        if (bits.Read(1) != 0) throw new AudioDecodeException("has a reserved bit set");
        SkipCodedNumber(bits);
        int blockSize = blockCode switch
        {
            0 => throw new AudioDecodeException("has a reserved block size code"),
            1 => 192,
            <= 5 => 576 << (blockCode - 2),
            6 => (int)bits.Read(8) + 1,
            7 => (int)bits.Read(16) + 1,
            _ => 256 << (blockCode - 8),
        };
        int rate = rateCode switch
        {
            12 => (int)bits.Read(8) * 1000,
            13 => (int)bits.Read(16),
            14 => (int)bits.Read(16) * 10,
            15 => throw new AudioDecodeException("has an invalid sample rate code"),
            _ => FixedRates[rateCode],
        };
        if (rate != 0 && rate != info.SampleRate) throw new AudioDecodeException($"is at {rate} Hz, STREAMINFO at {info.SampleRate} Hz");
        int channels = channelCode < 8 ? channelCode + 1 : channelCode <= 10 ? 2 : throw new AudioDecodeException("has a reserved channel assignment");
        if (channels != info.Channels) throw new AudioDecodeException($"has {channels} channels, STREAMINFO {info.Channels}");
        int bps = sizeCode == 0 ? info.BitsPerSample : FixedSampleSizes[sizeCode];
        if (bps == 0) throw new AudioDecodeException("has a reserved sample size code");
        if (bps != info.BitsPerSample) throw new AudioDecodeException($"has {bps}-bit samples, STREAMINFO {info.BitsPerSample}-bit");
        int headerEnd = bits.BytePosition;
        if (Crc8(bits, start, headerEnd) != bits.Read(8)) throw new AudioDecodeException("has a damaged header (CRC-8 mismatch)");

        var block = output.Block(blockSize);
        for (int c = 0; c < channels; c++)
        {
            // The side channel carries one bit more than the others.
            bool side = (channelCode == 8 && c == 1) || (channelCode == 9 && c == 0) || (channelCode == 10 && c == 1);
            Subframe(bits, block[c].AsSpan(0, blockSize), bps + (side ? 1 : 0));
        }
        bits.AlignToByte();
        int end = bits.BytePosition;
        if (Crc16(bits, start, end) != bits.Read(16)) throw new AudioDecodeException("is damaged (CRC-16 mismatch)");
        Decorrelate(channelCode, block, blockSize);
        output.Commit(blockSize);
    }

    /// <summary>The frame or sample number, coded like UTF-8 (up to 7 bytes); only its length matters here.</summary>
    private static void SkipCodedNumber(FlacBits bits)
    {
        uint first = bits.Read(8);
        int more = first < 0x80 ? 0 : first >= 0xC0 && first < 0xFE ? System.Numerics.BitOperations.LeadingZeroCount(~first << 24) - 1 : first == 0xFE ? 6 : -1;
        if (more < 0) throw new AudioDecodeException("has a malformed frame number");
        for (int i = 0; i < more; i++)
            if ((bits.Read(8) & 0xC0) != 0x80) throw new AudioDecodeException("has a malformed frame number");
    }

    private static void Subframe(FlacBits bits, Span<int> samples, int bps)
    {
        if (bits.Read(1) != 0) throw new AudioDecodeException("has a subframe whose padding bit is set");
        int type = (int)bits.Read(6);
        int wasted = bits.Read(1) == 1 ? bits.ReadUnary() + 1 : 0;
        if (wasted >= bps) throw new AudioDecodeException($"has a subframe with {wasted} wasted bits of {bps}");
        bps -= wasted;
        if (bps > 32) throw new AudioDecodeException("has a side channel wider than 32 bits (not supported)");
        if (type == 0) samples.Fill(bits.ReadSigned(bps));
        else if (type == 1) for (int i = 0; i < samples.Length; i++) samples[i] = bits.ReadSigned(bps);
        else if (type is >= 8 and <= 12) Fixed(bits, samples, bps, type - 8);
        else if (type >= 32) Lpc(bits, samples, bps, type - 31);
        else throw new AudioDecodeException($"has a reserved subframe type {type}");
        if (wasted > 0) for (int i = 0; i < samples.Length; i++) samples[i] <<= wasted;
    }

    private static void Warmup(FlacBits bits, Span<int> samples, int bps, int order)
    {
        if (order > samples.Length) throw new AudioDecodeException($"has a predictor of order {order} in a block of {samples.Length}");
        for (int i = 0; i < order; i++) samples[i] = bits.ReadSigned(bps);
    }

    private static void Fixed(FlacBits bits, Span<int> s, int bps, int order)
    {
        Warmup(bits, s, bps, order);
        Residual(bits, s, order);
        // The fixed predictors of orders 1-4 are repeated differences: the running sums of the residual.
        for (int i = order; i < s.Length; i++)
        {
            long p = order switch
            {
                0 => 0,
                1 => s[i - 1],
                2 => 2L * s[i - 1] - s[i - 2],
                3 => 3L * s[i - 1] - 3L * s[i - 2] + s[i - 3],
                _ => 4L * s[i - 1] - 6L * s[i - 2] + 4L * s[i - 3] - s[i - 4],
            };
            s[i] = (int)(s[i] + p);
        }
    }

    private static void Lpc(FlacBits bits, Span<int> s, int bps, int order)
    {
        Warmup(bits, s, bps, order);
        int precision = (int)bits.Read(4) + 1;
        if (precision == 16) throw new AudioDecodeException("has an invalid LPC precision");
        int shift = bits.ReadSigned(5);
        if (shift < 0) throw new AudioDecodeException("has a negative LPC shift");
        Span<int> coefficients = stackalloc int[order];
        for (int j = 0; j < order; j++) coefficients[j] = bits.ReadSigned(precision);
        Residual(bits, s, order);
        for (int i = order; i < s.Length; i++)
        {
            long sum = 0;
            for (int j = 0; j < order; j++) sum += (long)coefficients[j] * s[i - 1 - j];
            s[i] = (int)(s[i] + (sum >> shift));
        }
    }

    /// <summary>The residual after the warm-up samples, Rice-coded in 2^order partitions (escaped partitions are raw).</summary>
    private static void Residual(FlacBits bits, Span<int> s, int predictorOrder)
    {
        int method = (int)bits.Read(2);
        if (method > 1) throw new AudioDecodeException("has a reserved residual coding method");
        int parameterBits = method == 0 ? 4 : 5, escape = (1 << parameterBits) - 1;
        int partitionOrder = (int)bits.Read(4);
        int partitions = 1 << partitionOrder;
        if (s.Length % partitions != 0 || (s.Length >> partitionOrder) < predictorOrder)
            throw new AudioDecodeException($"has {partitions} residual partitions for a block of {s.Length} with a predictor of order {predictorOrder}");
        int i = predictorOrder;
        for (int p = 0; p < partitions; p++)
        {
            int end = (p + 1) * (s.Length >> partitionOrder);
            int k = (int)bits.Read(parameterBits);
            if (k == escape)
            {
                int raw = (int)bits.Read(5);
                for (; i < end; i++) s[i] = bits.ReadSigned(raw);
                continue;
            }
            for (; i < end; i++)
            {
                uint u = (uint)bits.ReadUnary() << k | bits.Read(k);
                s[i] = (int)(u >> 1) ^ -(int)(u & 1);
            }
        }
    }

    private static void Decorrelate(int channelCode, int[][] b, int n)
    {
        switch (channelCode)
        {
            case 8: for (int i = 0; i < n; i++) b[1][i] = b[0][i] - b[1][i]; break; // left, side
            case 9: for (int i = 0; i < n; i++) b[0][i] += b[1][i]; break; // side, right
            case 10:
                for (int i = 0; i < n; i++)
                {
                    long side = b[1][i], mid = ((long)b[0][i] << 1) | (side & 1);
                    b[0][i] = (int)((mid + side) >> 1);
                    b[1][i] = (int)((mid - side) >> 1);
                }
                break;
        }
    }

    private static readonly byte[] Crc8Table = Table(0x07, 8).Select(v => (byte)v).ToArray();
    private static readonly ushort[] Crc16Table = Table(0x8005, 16).Select(v => (ushort)v).ToArray();

    private static uint[] Table(uint polynomial, int width)
    {
        var table = new uint[256];
        uint top = 1u << (width - 1), mask = (1u << width) - 1;
        for (uint b = 0; b < 256; b++)
        {
            uint crc = b << (width - 8);
            for (int k = 0; k < 8; k++) crc = ((crc & top) != 0 ? (crc << 1) ^ polynomial : crc << 1) & mask;
            table[b] = crc;
        }
        return table;
    }

    private static uint Crc8(FlacBits bits, int start, int end)
    {
        byte crc = 0;
        for (int i = start; i < end; i++) crc = Crc8Table[crc ^ bits[i]];
        return crc;
    }

    private static uint Crc16(FlacBits bits, int start, int end)
    {
        ushort crc = 0;
        for (int i = start; i < end; i++) crc = (ushort)((crc << 8) ^ Crc16Table[(crc >> 8) ^ bits[i]]);
        return crc;
    }

    /// <summary>Integer samples of a known bit depth, scaled to [-1, 1).</summary>
    private readonly struct IntSamples(int[] data, int count, float scale) : IInterleaved
    {
        public int Length => count;
        public bool IsFloat => false;
        public double At(int index) => data[index] * (double)scale;
    }

    /// <summary>The decoded samples, interleaved, grown frame by frame; a frame is decoded into per-channel blocks
    /// first and only kept once its CRC checks.</summary>
    private sealed class Interleaved(int channels)
    {
        private int[][] block = [];

        public int[] Samples { get; private set; } = new int[4096 * channels];
        public long Frames { get; private set; }

        public int[][] Block(int size)
        {
            if (block.Length == 0 || block[0].Length < size)
                block = Enumerable.Range(0, channels).Select(_ => new int[size]).ToArray();
            return block;
        }

        public void Commit(int size)
        {
            long needed = (Frames + size) * channels;
            if (needed > Array.MaxLength) throw new AudioDecodeException("decodes to more samples than one array holds");
            if (needed > Samples.Length)
            {
                var grown = new int[Math.Min(Array.MaxLength, Math.Max(needed, 2L * Samples.Length))];
                Array.Copy(Samples, grown, Frames * channels);
                Samples = grown;
            }
            int at = (int)(Frames * channels);
            for (int i = 0; i < size; i++)
                for (int c = 0; c < channels; c++) Samples[at++] = block[c][i];
            Frames += size;
        }
    }
}
