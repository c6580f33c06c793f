using Vicreg.Core;

namespace Vicreg.Training.Sources;

/// <summary>
/// The image modality's view settings of one branch (model.branch_x.view). Every field is optional: an unset field takes
/// the data section's value (data.image_size, data.crop_scale_min) or the official recipe's (view 1 of the official code
/// for branch A, view 2 for branch B), so branch A can take 224-px crops while branch B takes 160-px crops. The channel
/// count is the branch's in_channels (3: RGB, 1: luma).
/// </summary>
public sealed record ImageViewOptions
{
    [Option("Side of the square training and evaluation crops, in pixels (unset: data.image_size).", Min = 8)]
    public int? Size { get; init; }
    [Option("Smallest crop area of RandomResizedCrop, as a fraction of the image (unset: data.crop_scale_min).", Min = 0, MinExclusive = true, Max = 1)]
    public double? CropScaleMin { get; init; }
    [Option("Probability of a horizontal flip (unset: the official recipe's).", Min = 0, Max = 1)]
    public double? FlipP { get; init; }
    [Option("Probability of colour jitter (unset: the official recipe's).", Min = 0, Max = 1)]
    public double? JitterP { get; init; }
    [Option("Probability of grayscale (unset: the official recipe's).", Min = 0, Max = 1)]
    public double? GrayscaleP { get; init; }
    [Option("Probability of Gaussian blur, σ scaled by size/224 (unset: the official recipe's).", Min = 0, Max = 1)]
    public double? BlurP { get; init; }
    [Option("Probability of solarization (unset: the official recipe's).", Min = 0, Max = 1)]
    public double? SolarizeP { get; init; }
    /// <summary>Multi-crop, groups of smaller local views beside the branch's global view (absent: none). Each group is
    /// batched as one tensor of its size; see <see cref="LocalCropConfig"/>.</summary>
    [Option("Multi-crop: groups of smaller local views beside the global view, each {count, size, scale_min, scale_max} (absent: none).")]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<LocalCropConfig>? LocalCrops { get; init; }
}

/// <summary>
/// One group of multi-crop local views of an image branch (model.branch_x.view.local_crops[i]): <see cref="Count"/>
/// RandomResizedCrops of side <see cref="Size"/> whose area is <see cref="ScaleMin"/>–<see cref="ScaleMax"/> of the
/// image, with the branch's other view settings (flip, jitter, grayscale, blur with σ scaled to the size, solarize).
/// The defaults are SwAV's local crops: 6 × 96 px at 0.05–0.14, beside 2 × 224 px at 0.14–1 (crop_scale_min 0.14).
/// </summary>
public sealed record LocalCropConfig
{
    [Option("How many local views of this group each sample gets.", Min = 1)]
    public int Count { get; init; } = 6;
    [Option("Side of the group's square crops, in pixels.", Min = 8)]
    public int Size { get; init; } = 96;
    [Option("Smallest crop area, as a fraction of the image.", Min = 0, MinExclusive = true, Max = 1)]
    public double ScaleMin { get; init; } = 0.05;
    [Option("Largest crop area, as a fraction of the image (at least scale_min).", Min = 0, MinExclusive = true, Max = 1)]
    public double ScaleMax { get; init; } = 0.14;
}
