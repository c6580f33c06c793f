namespace Vicreg.Data.Audio;

/// <summary>Decoded interleaved float samples, grown chunk by chunk (a compressed file rarely states its length).</summary>
internal sealed class FloatBuffer
{
    private float[] data = new float[1 << 16];

    public int Count { get; private set; }

    /// <summary>Room for <paramref name="count"/> more samples, to be written and then <see cref="Advance"/>d.</summary>
    public Span<float> Reserve(int count)
    {
        long needed = (long)Count + count;
        if (needed > Array.MaxLength) throw new AudioDecodeException("decodes to more samples than one array holds");
        if (needed > data.Length) Array.Resize(ref data, (int)Math.Min(Array.MaxLength, Math.Max(needed, 2L * data.Length)));
        return data.AsSpan(Count, count);
    }

    public void Advance(int count) => Count += count;

    public float[] Mono(int channels, int keep = int.MaxValue) => MonoMix.Mix(new FloatSamples(data, Math.Min(Count, keep)), channels);
}
