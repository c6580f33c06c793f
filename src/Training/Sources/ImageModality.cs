using Vicreg.Core;
using Vicreg.Data;
using Vicreg.Data.Views;
using Vicreg.Training.Config;

namespace Vicreg.Training.Sources;

/// <summary>The image modality: decoding (<see cref="ImageLoader"/>: TurboJPEG for JPEGs, ImageSharp for the rest) and the official VICReg views, per branch.</summary>
public static class ImageModality
{
    public static readonly ModalityEntry Entry = ModalityEntry.Of<ImageViewOptions>(Modalities.Image, Recipe, OpenReader, Validate, Locals,
        localViewsField: v => v.LocalCrops is null ? null : "local_crops", noun: "images", examples: "resnet50, vit-s16", fileExtensions: ImageFolderDataset.Extensions,
        viewAdvice: "the views: run vicreg preview on the config; if crops miss the object raise data.crop_scale_min, and keep data.image_size near the images' own size (small drawings need no 224-px views)");

    /// <summary>The official view of a side (view 1 for branch A, view 2 for B) at the branch's size and crop scale,
    /// with the branch's own step probabilities. The blur σ range (0.1–2.0) is defined for 224-px crops, so it is
    /// scaled by size/224: identical at 224, and at 32 px a σ of 2 would erase the image rather than blur it. A group
    /// of <paramref name="local"/> views takes its own size and scale range, with the branch's other settings.</summary>
    public static ViewAugmentation Augmentation(DataConfig d, ImageViewOptions? v, BranchSide side, LocalCropConfig? local = null)
    {
        int size = local?.Size ?? v?.Size ?? d.ImageSize;
        var official = side == BranchSide.A ? ViewAugmentation.OfficialViewA(size) : ViewAugmentation.OfficialViewB(size);
        double blurScale = size / 224.0;
        return official with
        {
            ScaleMin = local?.ScaleMin ?? v?.CropScaleMin ?? d.CropScaleMin,
            ScaleMax = local?.ScaleMax ?? official.ScaleMax,
            BlurSigmaMin = official.BlurSigmaMin * blurScale,
            BlurSigmaMax = official.BlurSigmaMax * blurScale,
            FlipP = v?.FlipP ?? official.FlipP,
            JitterP = v?.JitterP ?? official.JitterP,
            GrayscaleP = v?.GrayscaleP ?? official.GrayscaleP,
            BlurP = v?.BlurP ?? official.BlurP,
            SolarizeP = v?.SolarizeP ?? official.SolarizeP,
        };
    }

    private static IViewRecipe Recipe(ImageViewOptions view, BranchContext b)
    {
        var train = Augmentation(b.Data, view, b.Side);
        return new ImageViewRecipe(train, train.Size, b.Branch.InChannels) { OnDevice = b.Data.AugmentOn == "device" };
    }

    private static IReadOnlyList<LocalCrops> Locals(ImageViewOptions view, BranchContext b) =>
        (view.LocalCrops ?? Array.Empty<LocalCropConfig>())
            .Select(l => new LocalCrops(new ImageViewRecipe(Augmentation(b.Data, view, b.Side, l), l.Size, b.Branch.InChannels), l.Count)).ToArray();

    private static ISampleReader OpenReader(DataConfig data, IReadOnlyList<Sample> samples, SampleReaders readers) =>
        readers.Own(new ImageLoader(samples, data.CacheDecoded, new LineWriter(readers.Info), DecodeOptions(data)));

    /// <summary>How image readers treat truncated files (data.truncated_images), transparent pixels (data.image.background)
    /// and JPEGs (data.decode).</summary>
    public static ImageDecodeOptions DecodeOptions(DataConfig data) =>
        new(AcceptTruncated: data.TruncatedImages == "accept", Background: Transparency.ParseColour(data.Image?.Background), Fast: data.Decode == "fast");

    private static void Validate(ImageViewOptions v, BranchContext branch, Action<bool, string, string> require)
    {
        var (b, field) = (branch.Branch, branch.Field);
        require(b.InChannels is 1 or 3, $"{field}.in_channels", $"image views have 3 channels (RGB) or 1 (luma); got {b.InChannels}");
        require(b.Mel is null, $"{field}.mel", $"is only used by spectrogram encoders; \"{b.Encoder}\" takes images");
        require(b.SpecAugment is null, $"{field}.spec_augment", $"is only used by spectrogram encoders; \"{b.Encoder}\" takes images");
        require(v.Size is null or >= 8, $"{field}.view.size", $"must be ≥ 8; got {v.Size}");
        require(v.CropScaleMin is null or (> 0 and <= 1), $"{field}.view.crop_scale_min", $"must be in (0, 1]; got {v.CropScaleMin}");
        foreach (var (name, p) in new[] { ("flip_p", v.FlipP), ("jitter_p", v.JitterP), ("grayscale_p", v.GrayscaleP), ("blur_p", v.BlurP), ("solarize_p", v.SolarizeP) })
            require(p is null or (>= 0 and <= 1), $"{field}.view.{name}", $"must be a probability in [0, 1]; got {p}");
        var locals = v.LocalCrops ?? Array.Empty<LocalCropConfig>();
        require(v.LocalCrops is null || locals.Count > 0, $"{field}.view.local_crops", "is an empty list; give at least one group, e.g. [{\"count\": 6, \"size\": 96, \"scale_min\": 0.05, \"scale_max\": 0.14}], or remove it");
        for (int i = 0; i < locals.Count; i++)
        {
            var l = locals[i];
            string at = $"{field}.view.local_crops[{i}]";
            require(l is not null, at, "must be an object {\"count\": …, \"size\": …, \"scale_min\": …, \"scale_max\": …}");
            require(l!.Count >= 1, $"{at}.count", $"must be ≥ 1; got {l.Count}");
            require(l.Size >= 8, $"{at}.size", $"must be ≥ 8; got {l.Size}");
            require(l.ScaleMin is > 0 and <= 1, $"{at}.scale_min", $"must be in (0, 1]; got {l.ScaleMin}");
            require(l.ScaleMax >= l.ScaleMin && l.ScaleMax <= 1, $"{at}.scale_max", $"must be in [scale_min, 1] = [{l.ScaleMin}, 1]; got {l.ScaleMax}");
        }
    }
}
