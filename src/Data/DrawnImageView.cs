using System.Globalization;
using Vicreg.Data.Views;

namespace Vicreg.Data;

/// <summary>One colour jitter as drawn: the order of its four steps (0 brightness, 1 contrast, 2 saturation, 3 hue;
/// torchvision's random permutation) and the factors. A struct of four bytes, so the augmenter allocates nothing.</summary>
public readonly record struct ColorJitterDraw(byte First, byte Second, byte Third, byte Fourth, float Brightness, float Contrast, float Saturation, double Hue)
{
    public int[] Order => [First, Second, Third, Fourth];

    /// <summary>"b 1.12, h +0.03, c 0.83, s 1.05": each step's letter and factor, in the order applied.</summary>
    public string Describe()
    {
        var c = CultureInfo.InvariantCulture;
        var steps = new[]
        {
            "b " + Brightness.ToString("F2", c), "c " + Contrast.ToString("F2", c),
            "s " + Saturation.ToString("F2", c), "h " + Hue.ToString("+0.000;-0.000;0.000", c),
        };
        return string.Join(", ", Order.Select(op => steps[op]));
    }
}

/// <summary>What <see cref="ImageAugmenter"/> drew for one view: the crop box in source pixels, the flip, the colour
/// jitter (null when not applied), grayscale, the blur σ in pixels (null when not blurred) and solarize.</summary>
public sealed record DrawnImageView(int SourceWidth, int SourceHeight, CropBox Crop, bool Flip, ColorJitterDraw? Jitter,
    bool Grayscale, double? BlurSigma, bool Solarize) : DrawnView
{
    public override IReadOnlyList<string> Describe()
    {
        var c = CultureInfo.InvariantCulture;
        static string YesNo(bool b) => b ? "yes" : "no";
        return new[]
        {
            $"crop {Crop.Width}×{Crop.Height} at ({Crop.X}, {Crop.Y}) of {SourceWidth}×{SourceHeight}",
            $"flip {YesNo(Flip)} · grayscale {YesNo(Grayscale)} · solarize {YesNo(Solarize)}",
            Jitter is { } j ? "jitter " + j.Describe() : "jitter: not applied",
            BlurSigma is { } s ? $"blur σ {s.ToString("F2", c)} px" : "blur: not applied",
        };
    }
}
