namespace Vicreg.Data.Audio;

/// <summary>
/// How one branch's view is cut from a clip: a random crop of <see cref="CropSeconds"/>, a random gain of
/// ±<see cref="GainDb"/> dB, white noise at a random level up to <see cref="NoiseLevel"/> × the crop's RMS,
/// and a circular time shift of up to ±<see cref="ShiftSeconds"/>. Each branch has its own, so the two
/// views of a clip are different crops (the paper's waveform ↔ spectrogram setting).
/// </summary>
public sealed record AudioViewAugmentation(
    double CropSeconds = 2.0,
    double GainDb = 6.0,
    double NoiseLevel = 0.1,
    double ShiftSeconds = 0.1)
{
    /// <summary>No randomness: the centred crop (evaluation).</summary>
    public static AudioViewAugmentation Centre(double seconds) => new(seconds, 0, 0, 0);
}
