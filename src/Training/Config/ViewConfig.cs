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
    /// <summary>Image: multi-crop, groups of smaller local views beside the branch's global view (absent: none). Each
    /// group is batched as one tensor of its size; see <see cref="LocalCropConfig"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<LocalCropConfig>? LocalCrops { get; init; }

    internal IEnumerable<(string Field, bool Given)> ImageFields() => new[]
    {
        ("size", Size is not null), ("crop_scale_min", CropScaleMin is not null), ("flip_p", FlipP is not null), ("jitter_p", JitterP is not null),
        ("grayscale_p", GrayscaleP is not null), ("blur_p", BlurP is not null), ("solarize_p", SolarizeP is not null),
        ("local_crops", LocalCrops is not null),
    };

    internal IEnumerable<(string Field, bool Given)> AudioFields() => new[]
    {
        ("crop_seconds", CropSeconds is not null), ("gain_db", GainDb is not null), ("noise_level", NoiseLevel is not null), ("shift_seconds", ShiftSeconds is not null),
    };
}

/// <summary>
/// One group of multi-crop local views of an image branch (model.branch_x.view.local_crops[i]): <see cref="Count"/>
/// RandomResizedCrops of side <see cref="Size"/> whose area is <see cref="ScaleMin"/>–<see cref="ScaleMax"/> of the
/// image, with the branch's other view settings (flip, jitter, grayscale, blur with σ scaled to the size, solarize).
/// The defaults are SwAV's local crops: 6 × 96 px at 0.05–0.14, beside 2 × 224 px at 0.14–1 (crop_scale_min 0.14).
/// </summary>
public sealed record LocalCropConfig
{
    public int Count { get; init; } = 6;
    public int Size { get; init; } = 96;
    public double ScaleMin { get; init; } = 0.05;
    public double ScaleMax { get; init; } = 0.14;
}
