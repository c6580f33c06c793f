namespace Vicreg.Data.Audio;

/// <summary>
/// How often a random crop of a clip lands on near-silence: a crop whose RMS is more than 30 dB below that of the
/// clip's loudest window of the same length. Clips of decaying notes or speech with pauses, cut into short crops,
/// give many such views, and the two views of a pair then agree about nothing.
/// </summary>
public static class SilentCrops
{
    /// <summary>Crops at most this fraction of the loudest window's RMS count as silent (−30 dB).</summary>
    public const double RelativeRms = 0.0316;

    /// <summary>The fraction of <paramref name="draws"/> uniformly placed crops of <paramref name="cropSamples"/> that are
    /// near-silent (a clip no longer than the crop counts as one full crop).</summary>
    public static double Fraction(ReadOnlySpan<float> clip, int cropSamples, int draws, Random rng)
    {
        if (clip.Length == 0 || draws <= 0) return 1;
        int crop = Math.Min(cropSamples, clip.Length);
        var energy = new double[clip.Length + 1];
        for (int i = 0; i < clip.Length; i++) energy[i + 1] = energy[i] + (double)clip[i] * clip[i];
        double loudest = 0;
        for (int start = 0; start + crop <= clip.Length; start += Math.Max(1, crop / 8))
            loudest = Math.Max(loudest, energy[start + crop] - energy[start]);
        loudest = Math.Max(loudest, energy[clip.Length] - energy[clip.Length - crop]);
        if (loudest <= 1e-12 * crop) return 1; // a silent clip
        double threshold = RelativeRms * RelativeRms * loudest;
        int silent = 0;
        for (int d = 0; d < draws; d++)
        {
            int start = rng.Next(clip.Length - crop + 1);
            if (energy[start + crop] - energy[start] < threshold) silent++;
        }
        return (double)silent / draws;
    }
}
