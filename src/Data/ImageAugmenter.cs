using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Vicreg.Data;

/// <summary>
/// The VICReg view augmentation (official augmentations.py) in C#: RandomResizedCrop (bicubic),
/// horizontal flip, colour jitter, grayscale, Gaussian blur, solarize, ToTensor and Normalize.
/// Every step runs on 8-bit interleaved RGB with Pillow 9.4's arithmetic, as the official code does on
/// PIL images (bit-exact against torchvision fixtures); only the final normalisation produces floats.
/// </summary>
public static class ImageAugmenter
{
    /// <summary>Produces one augmented view as a normalised CHW float array of length 3·Size·Size.</summary>
    /// <param name="drawn">When given, receives what the view drew (see <see cref="ApplyInto"/>).</param>
    public static float[] Apply(Image<Rgb24> source, ViewAugmentation view, Random rng, Action<DrawnImageView>? drawn = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        var buf = new float[3 * view.Size * view.Size];
        ApplyInto(source, view, rng, buf, drawn);
        return buf;
    }

    /// <summary>
    /// Writes one augmented view into <paramref name="dest"/> (normalised CHW floats, 3·Size·Size), in
    /// the official order: crop+resize, flip, colour jitter (p), grayscale (p), blur (p), solarize (p),
    /// normalise. Every step has Pillow 9.4's 8-bit arithmetic (see <see cref="PilResample"/>,
    /// <see cref="PilColor"/>, <see cref="PilBlur"/>); buffers are reused per thread.
    /// </summary>
    /// <param name="drawn">When given, receives the crop box, flip, jitter, grayscale, blur σ and solarize drawn
    /// (for previews); the draws and the arithmetic are the same with or without it.</param>
    public static void ApplyInto(Image<Rgb24> source, ViewAugmentation view, Random rng, Span<float> dest, Action<DrawnImageView>? drawn = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(rng);
        Validate(view.Size, view.Mean, view.Std);
        int s = view.Size;
        if (dest.Length < 3 * s * s) throw new ArgumentException($"Destination holds {dest.Length} floats; a view needs {3 * s * s}.", nameof(dest));

        var ws = AugmentScratch.ForThread();
        var box = SampleCropBox(source.Width, source.Height, view, rng);
        var rgb = ws.View(s);
        PilResample.ResizedCrop(ws.Pixels(source), source.Width, source.Height, box, s, s, rgb, ws.Resample);

        bool flip = rng.NextDouble() < view.FlipP;
        if (flip) PilColor.FlipHorizontal(rgb, s, s);
        ColorJitterDraw? jitter = rng.NextDouble() < view.JitterP ? ColorJitter(rgb, view, rng) : null;
        bool gray = rng.NextDouble() < view.GrayscaleP;
        if (gray) PilColor.Grayscale(rgb);
        double? blur = null;
        if (rng.NextDouble() < view.BlurP)
        {
            double sigma = view.BlurSigmaMin + rng.NextDouble() * (view.BlurSigmaMax - view.BlurSigmaMin);
            PilBlur.GaussianBlur(rgb, s, s, (float)sigma, ws.Blur);
            blur = sigma;
        }
        bool solarize = rng.NextDouble() < view.SolarizeP;
        PilColor.ToNormalizedChw(rgb, view.Mean, view.Std, dest, solarize);
        drawn?.Invoke(new DrawnImageView(source.Width, source.Height, box, flip, jitter, gray, blur, solarize));
    }

    /// <summary>
    /// Deterministic evaluation view: resize the shorter side to <paramref name="size"/> (bicubic,
    /// torchvision's truncation of the longer side), centre-crop size×size, normalise. CHW floats.
    /// </summary>
    public static float[] CenterView(Image<Rgb24> source, int size, float[] mean, float[] std)
    {
        ArgumentNullException.ThrowIfNull(source);
        Validate(size, mean, std);
        int w = source.Width, h = source.Height;
        int rw, rh;
        if (w <= h) { rw = size; rh = (int)((long)size * h / w); }
        else { rh = size; rw = (int)((long)size * w / h); }
        // torchvision CenterCrop: offset = round((resized - size) / 2).
        int left = (int)Math.Round((rw - size) / 2.0, MidpointRounding.ToEven);
        int top = (int)Math.Round((rh - size) / 2.0, MidpointRounding.ToEven);
        var ws = AugmentScratch.ForThread();
        var resized = new byte[3 * rw * rh];
        PilResample.ResizedCrop(ws.Pixels(source), w, h, new CropBox(0, 0, w, h), rw, rh, resized, ws.Resample);
        var crop = new byte[3 * size * size];
        for (int y = 0; y < size; y++)
            resized.AsSpan(((top + y) * rw + left) * 3, size * 3).CopyTo(crop.AsSpan(y * size * 3));
        var buf = new float[3 * size * size];
        PilColor.ToNormalizedChw(crop, mean, std, buf);
        return buf;
    }

    /// <summary>
    /// torchvision RandomResizedCrop.get_params: up to 10 draws of an area fraction uniform in
    /// (ScaleMin, ScaleMax) and a log-uniform aspect ratio in (RatioMin, RatioMax), rounded half-to-even
    /// like Python's round; the first that fits wins, placed uniformly. Otherwise a centre crop of the
    /// whole image, clamped to the ratio range.
    /// </summary>
    public static CropBox SampleCropBox(int width, int height, ViewAugmentation v, Random rng)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentNullException.ThrowIfNull(v);
        ArgumentNullException.ThrowIfNull(rng);
        double area = (double)width * height;
        double logMin = Math.Log(v.RatioMin), logMax = Math.Log(v.RatioMax);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double target = area * (v.ScaleMin + rng.NextDouble() * (v.ScaleMax - v.ScaleMin));
            double ratio = Math.Exp(logMin + rng.NextDouble() * (logMax - logMin));
            int w = (int)Math.Round(Math.Sqrt(target * ratio), MidpointRounding.ToEven);
            int h = (int)Math.Round(Math.Sqrt(target / ratio), MidpointRounding.ToEven);
            if (w > 0 && w <= width && h > 0 && h <= height)
            {
                int y = rng.Next(height - h + 1);
                int x = rng.Next(width - w + 1);
                return new CropBox(x, y, w, h);
            }
        }
        double inRatio = (double)width / height;
        int fw = width, fh = height;
        if (inRatio < Math.Min(v.RatioMin, v.RatioMax))
            fh = (int)Math.Round(fw / Math.Min(v.RatioMin, v.RatioMax), MidpointRounding.ToEven);
        else if (inRatio > Math.Max(v.RatioMin, v.RatioMax))
            fw = (int)Math.Round(fh * Math.Max(v.RatioMin, v.RatioMax), MidpointRounding.ToEven);
        fw = Math.Clamp(fw, 1, width);
        fh = Math.Clamp(fh, 1, height);
        return new CropBox((width - fw) / 2, (height - fh) / 2, fw, fh);
    }

    /// <summary>torchvision ColorJitter: a random order of the four steps, then the factors, then the steps.
    /// Returns what it drew.</summary>
    private static ColorJitterDraw ColorJitter(Span<byte> rgb, ViewAugmentation v, Random rng)
    {
        Span<int> order = stackalloc int[] { 0, 1, 2, 3 };
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        float b = Factor(v.Brightness, rng), c = Factor(v.Contrast, rng), s = Factor(v.Saturation, rng);
        double h = (rng.NextDouble() * 2 - 1) * v.Hue;
        foreach (int op in order)
        {
            switch (op)
            {
                case 0 when v.Brightness > 0: PilColor.Brightness(rgb, b); break;
                case 1 when v.Contrast > 0: PilColor.Contrast(rgb, c); break;
                case 2 when v.Saturation > 0: PilColor.Saturation(rgb, s); break;
                case 3 when v.Hue > 0: PilColor.Hue(rgb, h); break;
            }
        }
        return new ColorJitterDraw((byte)order[0], (byte)order[1], (byte)order[2], (byte)order[3], b, c, s, h);
    }

    private static float Factor(double amount, Random rng) =>
        (float)Math.Max(0, 1 - amount + rng.NextDouble() * 2 * amount);

    private static void Validate(int size, float[] mean, float[] std)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (mean is not { Length: 3 }) throw new ArgumentException("Mean must have 3 entries (RGB).", nameof(mean));
        if (std is not { Length: 3 }) throw new ArgumentException("Std must have 3 entries (RGB).", nameof(std));
    }
}
