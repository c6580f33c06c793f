namespace Vicreg.Data.Audio;

/// <summary>Interleaved samples of any layout, read one at a time as a double in about [-1, 1].</summary>
internal interface IInterleaved
{
    int Length { get; }
    /// <summary>Whether the samples are floating point, which can hold values that are not sound (NaN, huge).</summary>
    bool IsFloat { get; }
    double At(int index);
}

/// <summary>Decoded float samples (the lossy decoders' output).</summary>
internal readonly struct FloatSamples(float[] data, int count) : IInterleaved
{
    public int Length => count;
    public bool IsFloat => true;
    public double At(int index) => data[index];
}

/// <summary>
/// The one mixdown of every format: channels averaged to mono, float samples checked as they go. Generic over a
/// struct so that the per-sample read is inlined for each layout.
/// </summary>
internal static class MonoMix
{
    /// <summary>Averages channels. Float samples are checked first: a non-finite value, or one beyond
    /// ±<see cref="WavDecoder.MaxFloatSample"/>, refuses the file with one line.</summary>
    public static float[] Mix<T>(T samples, int channels) where T : struct, IInterleaved
    {
        int frames = samples.Length / channels;
        var mono = new float[frames];
        double scale = 1.0 / channels;
        bool check = samples.IsFloat;
        long nonFinite = 0, outOfRange = 0;
        double worst = 0;
        for (int f = 0, i = 0; f < frames; f++)
        {
            double sum = 0;
            for (int c = 0; c < channels; c++, i++)
            {
                double v = samples.At(i);
                if (check && !(Math.Abs(v) <= WavDecoder.MaxFloatSample))
                {
                    if (!double.IsFinite(v)) nonFinite++;
                    else { outOfRange++; worst = Math.Max(worst, Math.Abs(v)); }
                }
                sum += v;
            }
            mono[f] = (float)(sum * scale);
        }
        long total = (long)frames * channels;
        if (nonFinite > 0)
            throw new AudioDecodeException($"{nonFinite} of {total} samples are not finite (NaN or infinity)");
        if (outOfRange > 0)
            throw new AudioDecodeException($"{outOfRange} of {total} float samples are beyond ±{WavDecoder.MaxFloatSample} (largest |sample| {worst:G3}); float audio is expected within about [-1, 1]");
        return mono;
    }
}
