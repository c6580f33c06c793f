using Vicreg.Core;

namespace Vicreg.Data.Audio;

/// <summary>
/// How one branch's view is cut from a clip: a random crop of <see cref="CropSeconds"/>, a random gain of
/// ±<see cref="GainDb"/> dB, white noise at a random level up to <see cref="NoiseLevel"/> × the crop's RMS,
/// and a circular time shift of up to ±<see cref="ShiftSeconds"/>. Each branch has its own, so the two
/// views of a clip are different crops (the paper's waveform ↔ spectrogram setting).
/// </summary>
public sealed record AudioViewAugmentation
{
    [Option("Length of the random training crop, in seconds.", Min = 0, MinExclusive = true)]
    public double CropSeconds { get; init; } = 2.0;
    [Option("Largest random gain, ± this many dB.", Min = 0)]
    public double GainDb { get; init; } = 6.0;
    [Option("Largest standard deviation of the added Gaussian noise, relative to the crop's RMS (drawn uniformly up to it).", Min = 0)]
    public double NoiseLevel { get; init; } = 0.1;
    [Option("Largest random circular time shift, ± this many seconds.", Min = 0)]
    public double ShiftSeconds { get; init; } = 0.1;

    /// <summary>No randomness: the centred crop (evaluation).</summary>
    public static AudioViewAugmentation Centre(double seconds) => new() { CropSeconds = seconds, GainDb = 0, NoiseLevel = 0, ShiftSeconds = 0 };

    /// <summary>One line per problem (field names relative to the view); empty when usable.</summary>
    public IEnumerable<string> Problems()
    {
        if (CropSeconds <= 0) yield return $"crop_seconds must be > 0 (got {CropSeconds})";
        if (GainDb < 0) yield return $"gain_db must be ≥ 0 (got {GainDb})";
        if (NoiseLevel < 0) yield return $"noise_level must be ≥ 0 (got {NoiseLevel})";
        if (ShiftSeconds < 0 || ShiftSeconds > CropSeconds) yield return $"shift_seconds must be in [0, crop_seconds] (got {ShiftSeconds})";
    }
}
