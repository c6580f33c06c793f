using NVorbis.Contracts;
using NVorbis.Ogg;

namespace Vicreg.Data.Audio;

/// <summary>
/// Ogg Opus (RFC 7845) → mono float. The Ogg pages are read by NVorbis's container reader, the packets decoded by
/// Concentus (managed libopus) at 48 kHz. As in ffmpeg: the header's pre-skip is dropped at the start, the last
/// page's granule position trims the end, and the header's output gain is applied. A file cut short decodes to what it holds,
/// with a note (<see cref="OggEnd"/>).
/// </summary>
internal static class OggOpusDecoder
{
    private const int Rate = 48000;
    private const int MaxFrame = 5760; // 120 ms at 48 kHz, the longest Opus packet

    public static SourceAudio ReadMono(Stream stream)
    {
        using var buffered = OggEnd.Buffered(stream, out var bytes, out int length);
        using var container = new ContainerReader(buffered, closeOnDispose: false);
        IPacketProvider? opus = null;
        container.NewStreamCallback = provider => { opus ??= provider; return true; };
        if (!container.TryInit() || opus is null) throw new AudioDecodeException("no Ogg stream found");
        var head = Bytes(opus.GetNextPacket() ?? throw new AudioDecodeException("no OpusHead packet"));
        if (head.Length < 19 || System.Text.Encoding.ASCII.GetString(head, 0, 8) != "OpusHead") throw new AudioDecodeException("the first packet is not an OpusHead");
        int channels = head[9], preSkip = BitConverter.ToUInt16(head, 10), family = head[18];
        double gain = Math.Pow(10, BitConverter.ToInt16(head, 16) / (20.0 * 256));
        if (channels is < 1 or > 2 || family != 0)
            throw new AudioDecodeException($"OpusHead declares {channels} channels with mapping family {family}; mono and stereo (family 0) are supported");
        if (opus.GetNextPacket() is null) throw new AudioDecodeException("no OpusTags packet");

#pragma warning disable CS0618 // the managed decoder on purpose: the factory may pick a native libopus, which would make decodes machine-dependent
        var decoder = new Concentus.Structs.OpusDecoder(Rate, channels);
#pragma warning restore CS0618
        var buffer = new FloatBuffer();
        long lastGranule = -1;
        while (opus.GetNextPacket() is { } packet)
        {
            if (packet.GranulePosition is long granule && granule >= 0) lastGranule = Math.Max(lastGranule, granule);
            var data = Bytes(packet);
            if (data.Length == 0) continue;
            int frames = decoder.Decode(data, buffer.Reserve(MaxFrame * channels), MaxFrame, false);
            buffer.Advance(frames * channels);
        }
        int total = buffer.Count / channels;
        // The granule position counts samples at 48 kHz including the pre-skip; past it is end padding.
        int keep = lastGranule >= 0 ? (int)Math.Clamp(lastGranule, 0, total) : total;
        if (keep <= preSkip) throw new AudioDecodeException($"decodes to {keep} samples, no more than the pre-skip of {preSkip}");
        var mono = buffer.Mono(channels, keep * channels);
        var kept = mono.AsSpan(preSkip).ToArray();
        if (gain != 1) for (int i = 0; i < kept.Length; i++) kept[i] = (float)(kept[i] * gain);
        return new SourceAudio(kept, Rate, channels, OggEnd.TruncationNote(bytes, length, kept.Length));
    }

    private static byte[] Bytes(IPacket packet)
    {
        var bytes = new byte[packet.BitsRemaining / 8];
        int n = NVorbis.Extensions.Read(packet, bytes, 0, bytes.Length);
        packet.Done();
        return n == bytes.Length ? bytes : bytes.AsSpan(0, n).ToArray();
    }
}
