namespace Vicreg.Training.Config;

/// <summary>
/// One branch's own view settings (model.branch_a.view, model.branch_b.view). Every field is optional: an unset
/// field takes the data section's value (data.image_size, data.crop_scale_min for images; data.audio.view_a /
/// view_b for audio), so branch A can take 224-px crops while branch B takes 160-px crops. Image fields apply to
/// image branches and audio fields to audio branches; the other kind is refused by name. An image branch's channel
/// count is its in_channels (3: RGB, 1: luma).
/// </summary>
public sealed record ViewConfig
{
    /// <summary>Image: side of the square training and evaluation crops.</summary>
    public int? Size { get; init; }
    /// <summary>Image: smallest crop area of RandomResizedCrop, as a fraction of the image.</summary>
    public double? CropScaleMin { get; init; }
    /// <summary>Image: probabilities of the official recipe's random steps (view 1 of the official code for branch A,
    /// view 2 for branch B); each overrides that step's probability.</summary>
    public double? FlipP { get; init; }
    public double? JitterP { get; init; }
    public double? GrayscaleP { get; init; }
    public double? BlurP { get; init; }
    public double? SolarizeP { get; init; }
    /// <summary>Audio: crop length, gain, noise and shift of the branch's waveform view.</summary>
    public double? CropSeconds { get; init; }
    public double? GainDb { get; init; }
    public double? NoiseLevel { get; init; }
    public double? ShiftSeconds { get; init; }

    internal IEnumerable<(string Field, bool Given)> ImageFields() => new[]
    {
        ("size", Size is not null), ("crop_scale_min", CropScaleMin is not null), ("flip_p", FlipP is not null), ("jitter_p", JitterP is not null),
        ("grayscale_p", GrayscaleP is not null), ("blur_p", BlurP is not null), ("solarize_p", SolarizeP is not null),
    };

    internal IEnumerable<(string Field, bool Given)> AudioFields() => new[]
    {
        ("crop_seconds", CropSeconds is not null), ("gain_db", GainDb is not null), ("noise_level", NoiseLevel is not null), ("shift_seconds", ShiftSeconds is not null),
    };
}
