using Vicreg.Data;
using Vicreg.Data.Views;
using Vicreg.Training.Config;

namespace Vicreg.Training.Sources;

/// <summary>The image modality: ImageSharp decoding (<see cref="ImageLoader"/>) and the official VICReg views, per branch.</summary>
public static class ImageModality
{
    public static readonly ModalityEntry Entry = new("image", Recipe, OpenReader, ValidateBranch);

    /// <summary>The official view of a side (view 1 for branch A, view 2 for B) at the branch's size and crop scale,
    /// with the branch's own step probabilities. The blur σ range (0.1–2.0) is defined for 224-px crops, so it is
    /// scaled by size/224: identical at 224, and at 32 px a σ of 2 would erase the image rather than blur it.</summary>
    public static ViewAugmentation Augmentation(DataConfig d, ViewConfig? v, BranchSide side)
    {
        int size = v?.Size ?? d.ImageSize;
        var official = side == BranchSide.A ? ViewAugmentation.OfficialViewA(size) : ViewAugmentation.OfficialViewB(size);
        double blurScale = size / 224.0;
        return official with
        {
            ScaleMin = v?.CropScaleMin ?? d.CropScaleMin,
            BlurSigmaMin = official.BlurSigmaMin * blurScale,
            BlurSigmaMax = official.BlurSigmaMax * blurScale,
            FlipP = v?.FlipP ?? official.FlipP,
            JitterP = v?.JitterP ?? official.JitterP,
            GrayscaleP = v?.GrayscaleP ?? official.GrayscaleP,
            BlurP = v?.BlurP ?? official.BlurP,
            SolarizeP = v?.SolarizeP ?? official.SolarizeP,
        };
    }

    private static IViewRecipe Recipe(ExperimentConfig c, BranchConfig branch, BranchSide side)
    {
        var train = Augmentation(c.Data, branch.View, side);
        return new ImageViewRecipe(train, train.Size, branch.InChannels);
    }

    private static ISampleReader OpenReader(ExperimentConfig c, IReadOnlyList<Sample> samples, SampleReaders readers) =>
        readers.Own(new ImageLoader(samples, c.Data.CacheDecoded, new LineWriter(readers.Info), DecodeOptions(c.Data)));

    /// <summary>How image readers treat truncated files (data.truncated_images).</summary>
    public static ImageDecodeOptions DecodeOptions(DataConfig data) => new(AcceptTruncated: data.TruncatedImages == "accept");

    private static void ValidateBranch(ExperimentConfig c, BranchConfig b, string field, Action<bool, string, string> require)
    {
        require(b.InChannels is 1 or 3, $"{field}.in_channels", $"image views have 3 channels (RGB) or 1 (luma); got {b.InChannels}");
        require(b.Mel is null, $"{field}.mel", $"is only used by spectrogram encoders; \"{b.Encoder}\" takes images");
        require(b.SpecAugment is null, $"{field}.spec_augment", $"is only used by spectrogram encoders; \"{b.Encoder}\" takes images");
        if (b.View is not { } v) return;
        foreach (var (name, given) in v.AudioFields())
            require(!given, $"{field}.view.{name}", $"is an audio setting, but \"{b.Encoder}\" takes images");
        require(v.Size is null or >= 8, $"{field}.view.size", $"must be ≥ 8; got {v.Size}");
        require(v.CropScaleMin is null or (> 0 and <= 1), $"{field}.view.crop_scale_min", $"must be in (0, 1]; got {v.CropScaleMin}");
        foreach (var (name, p) in new[] { ("flip_p", v.FlipP), ("jitter_p", v.JitterP), ("grayscale_p", v.GrayscaleP), ("blur_p", v.BlurP), ("solarize_p", v.SolarizeP) })
            require(p is null or (>= 0 and <= 1), $"{field}.view.{name}", $"must be a probability in [0, 1]; got {p}");
    }
}
