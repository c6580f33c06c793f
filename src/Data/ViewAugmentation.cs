namespace Vicreg.Data;

/// <summary>
/// Parameters of one view of the VICReg image augmentation (official code, augmentations.py).
/// Defaults are those of view A; <see cref="OfficialViewB"/> differs only in blur and solarize.
/// </summary>
/// <param name="Size">Output side in pixels (RandomResizedCrop size).</param>
/// <param name="ScaleMin">Smallest crop area as a fraction of the image area.</param>
/// <param name="ScaleMax">Largest crop area fraction.</param>
/// <param name="RatioMin">Smallest crop aspect ratio (width / height); sampled log-uniformly.</param>
/// <param name="RatioMax">Largest crop aspect ratio.</param>
/// <param name="FlipP">Probability of a horizontal flip.</param>
/// <param name="JitterP">Probability of applying colour jitter.</param>
/// <param name="Brightness">Brightness factor drawn from [1-b, 1+b].</param>
/// <param name="Contrast">Contrast factor drawn from [1-c, 1+c].</param>
/// <param name="Saturation">Saturation factor drawn from [1-s, 1+s].</param>
/// <param name="Hue">Hue shift drawn from [-h, h] (fraction of the hue circle).</param>
/// <param name="GrayscaleP">Probability of converting to grayscale (ITU-R 601-2 luma).</param>
/// <param name="BlurP">Probability of a Gaussian blur.</param>
/// <param name="BlurSigmaMin">Smallest blur sigma in pixels.</param>
/// <param name="BlurSigmaMax">Largest blur sigma in pixels.</param>
/// <param name="SolarizeP">Probability of solarizing (threshold 128).</param>
/// <param name="Mean">Per-channel normalisation mean (RGB, on the [0,1] scale); ImageNet's when null.</param>
/// <param name="Std">Per-channel normalisation std; ImageNet's when null.</param>
public sealed record ViewAugmentation(
    int Size = 224,
    double ScaleMin = 0.08,
    double ScaleMax = 1.0,
    double RatioMin = 3.0 / 4,
    double RatioMax = 4.0 / 3,
    double FlipP = 0.5,
    double JitterP = 0.8,
    double Brightness = 0.4,
    double Contrast = 0.4,
    double Saturation = 0.2,
    double Hue = 0.1,
    double GrayscaleP = 0.2,
    double BlurP = 1.0,
    double BlurSigmaMin = 0.1,
    double BlurSigmaMax = 2.0,
    double SolarizeP = 0.0,
    float[]? Mean = null,
    float[]? Std = null)
{
    /// <summary>ImageNet channel means used by the official code.</summary>
    public static float[] ImageNetMean => [0.485f, 0.456f, 0.406f];

    /// <summary>ImageNet channel standard deviations used by the official code.</summary>
    public static float[] ImageNetStd => [0.229f, 0.224f, 0.225f];

    /// <summary>Normalisation mean (never null).</summary>
    public float[] Mean { get; init; } = Mean ?? ImageNetMean;

    /// <summary>Normalisation std (never null).</summary>
    public float[] Std { get; init; } = Std ?? ImageNetStd;

    /// <summary>View 1 of the official code: blur always, never solarize.</summary>
    public static ViewAugmentation OfficialViewA(int size = 224) => new(Size: size, BlurP: 1.0, SolarizeP: 0.0);

    /// <summary>View 2 of the official code: blur with p 0.1, solarize with p 0.2.</summary>
    public static ViewAugmentation OfficialViewB(int size = 224) => new(Size: size, BlurP: 0.1, SolarizeP: 0.2);
}
