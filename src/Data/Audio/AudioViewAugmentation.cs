namespace Vicreg.Data.Audio;

/// <summary>
/// How one branch's view is cut from a clip: a random crop of <see cref="CropSeconds"/>, a random gain of
/// ±<see cref="GainDb"/> dB, white noise at a random level up to <see cref="NoiseLevel"/> × the crop's RMS,
/// and a circular time shift of up to ±<see cref="ShiftSeconds"/>. Each branch has its own, so the two
/// views of a clip are different crops (the paper's waveform ↔ spectrogram setting).
/// </summary>
public sealed record AudioViewAugmentation
{
    /// <summary>Length of the random crop of the clip, in seconds (shorter clips are zero-padded).</summary>
    public double CropSeconds { get; init; } = 2.0;
    /// <summary>Random gain, uniform in ±gain_db decibels.</summary>
    public double GainDb { get; init; } = 6.0;
    /// <summary>White noise, up to this fraction of the crop's RMS.</summary>
    public double NoiseLevel { get; init; } = 0.1;
    /// <summary>Random circular time shift, up to this many seconds either way.</summary>
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
