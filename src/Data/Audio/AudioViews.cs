namespace Vicreg.Data.Audio;

/// <summary>Cuts augmented views from decoded clips. Pure functions of (clip, settings, random stream).</summary>
public static class AudioViews
{
    /// <summary>Writes one view of <paramref name="clip"/> into <paramref name="output"/> (its length is the
    /// crop length) and returns how many samples are zero padding (a clip shorter than the crop is padded at
    /// the end; 0 when the clip is long enough). The crop starts anywhere, or, given <paramref name="centre"/>
    /// (a video frame's time), is the window centred there (<see cref="WindowStart"/>).</summary>
    /// <param name="drawn">When given, receives the crop offset, gain, noise level and shift drawn (for previews); the
    /// draws and the arithmetic are the same with or without it.</param>
    public static int Random(ReadOnlySpan<float> clip, AudioViewAugmentation v, Random rng, Span<float> output, Action<DrawnAudioView>? drawn = null, int? centre = null)
    {
        int crop = output.Length;
        int start = centre is { } c ? WindowStart(clip.Length, crop, c) : clip.Length > crop ? rng.Next(clip.Length - crop + 1) : 0;
        int valid = Math.Min(crop, clip.Length);
        output.Clear();
        clip.Slice(start, valid).CopyTo(output);

        double gainDb = (rng.NextDouble() * 2 - 1) * v.GainDb;
        double gain = Math.Pow(10, gainDb / 20);
        double rms = Rms(output[..valid]);
        double noise = rng.NextDouble() * v.NoiseLevel * rms;
        int maxShift = (int)(v.ShiftSeconds * crop / Math.Max(v.CropSeconds, 1e-9));
        int shift = maxShift > 0 ? rng.Next(-maxShift, maxShift + 1) : 0;
        // Noise comes from its own stream, seeded by the view's stream, so it is one draw per view.
        var noiseRng = new Random(rng.Next());
        for (int i = 0; i < crop; i++)
            output[i] = (float)(output[i] * gain + noise * Gaussian(noiseRng));
        if (shift != 0) Roll(output, shift);
        drawn?.Invoke(new DrawnAudioView(clip.Length, crop, start, gainDb, noise, rms, shift, crop - valid));
        return crop - valid;
    }

    /// <summary>The centred crop (or the clip, zero-padded at the end), without augmentation; given
    /// <paramref name="centre"/>, the window centred there instead of on the clip's middle. Returns the padding.</summary>
    public static int Centre(ReadOnlySpan<float> clip, Span<float> output, int? centre = null)
    {
        int crop = output.Length;
        output.Clear();
        int valid = Math.Min(crop, clip.Length);
        int start = centre is { } c ? WindowStart(clip.Length, crop, c) : (clip.Length - valid) / 2;
        clip.Slice(start, valid).CopyTo(output);
        return crop - valid;
    }

    /// <summary>Where a window of <paramref name="crop"/> samples centred on sample <paramref name="centre"/> starts
    /// (the centre is its sample crop/2), moved to lie inside the clip when the centre is within half a window of
    /// either end; 0 when the clip is shorter than the window (it is padded at the end).</summary>
    public static int WindowStart(int clipLength, int crop, int centre) =>
        Math.Clamp(centre - crop / 2, 0, Math.Max(0, clipLength - crop));

    internal static double Rms(ReadOnlySpan<float> x)
    {
        if (x.IsEmpty) return 0;
        double sum = 0;
        foreach (float v in x) sum += v * (double)v;
        return Math.Sqrt(sum / x.Length);
    }

    private static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static void Roll(Span<float> x, int shift)
    {
        int n = x.Length;
        shift = ((shift % n) + n) % n;
        if (shift == 0) return;
        var copy = x.ToArray();
        copy.AsSpan(n - shift).CopyTo(x);
        copy.AsSpan(0, n - shift).CopyTo(x[shift..]);
    }
}
