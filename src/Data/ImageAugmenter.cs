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

        var drawnView = Draw(source.Width, source.Height, view, rng);
        Render(AugmentScratch.ForThread().Pixels(source), source.Width, source.Height, drawnView.Crop, drawnView, view, dest);
        drawn?.Invoke(drawnView);
    }

    /// <summary>A drawn view of interleaved RGB <paramref name="pixels"/> (<paramref name="width"/>×<paramref name="height"/>),
    /// cropped at <paramref name="box"/> in those pixels (the drawn crop, or that crop mapped to a smaller decode).</summary>
    public static void Render(ReadOnlySpan<byte> pixels, int width, int height, CropBox box, DrawnImageView d, ViewAugmentation view, Span<float> dest)
    {
        var rgb = AugmentScratch.ForThread().View(view.Size);
        CropAndResize(pixels, width, height, box, view.Size, rgb);
        Finish(rgb, d, view, dest);
    }

    /// <summary>The host part of a view finished on the training device: crop and bicubic resize to a Size×Size×3
    /// (HWC) byte view.</summary>
    public static void CropAndResize(ReadOnlySpan<byte> pixels, int width, int height, CropBox box, int size, Span<byte> dest)
    {
        var ws = AugmentScratch.ForThread();
        PilResample.ResizedCrop(pixels, width, height, box, size, size, dest, ws.Resample);
    }

    /// <summary>
    /// Everything one view draws from <paramref name="rng"/>, in the official order (crop box, flip, jitter with its
    /// order and factors, grayscale, blur σ, solarize), from the source's size alone: no pixel is read, so the draws
    /// are the same whether the host or the training device applies them, and whatever size the image is decoded at.
    /// </summary>
    public static DrawnImageView Draw(int width, int height, ViewAugmentation view, Random rng)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(rng);
        var box = SampleCropBox(width, height, view, rng);
        bool flip = rng.NextDouble() < view.FlipP;
        ColorJitterDraw? jitter = rng.NextDouble() < view.JitterP ? DrawJitter(view, rng) : null;
        bool gray = rng.NextDouble() < view.GrayscaleP;
        double? blur = rng.NextDouble() < view.BlurP ? view.BlurSigmaMin + rng.NextDouble() * (view.BlurSigmaMax - view.BlurSigmaMin) : null;
        bool solarize = rng.NextDouble() < view.SolarizeP;
        return new DrawnImageView(width, height, box, flip, jitter, gray, blur, solarize);
    }

    /// <summary>The steps after crop and resize on a Size×Size RGB view, as drawn, then normalisation into
    /// <paramref name="dest"/> (CHW floats). <paramref name="rgb"/> is changed in place.</summary>
    public static void Finish(Span<byte> rgb, DrawnImageView d, ViewAugmentation view, Span<float> dest)
    {
        int s = view.Size;
        if (d.Flip) PilColor.FlipHorizontal(rgb, s, s);
        if (d.Jitter is { } j) ApplyJitter(rgb, view, j);
        if (d.Grayscale) PilColor.Grayscale(rgb);
        if (d.BlurSigma is { } sigma) PilBlur.GaussianBlur(rgb, s, s, (float)sigma, AugmentScratch.ForThread().Blur);
        PilColor.ToNormalizedChw(rgb, view.Mean, view.Std, dest, d.Solarize);
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

    /// <summary>torchvision ColorJitter's draws: a random order of the four steps, then the factors.</summary>
    private static ColorJitterDraw DrawJitter(ViewAugmentation v, Random rng)
    {
        Span<int> order = stackalloc int[] { 0, 1, 2, 3 };
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        float b = Factor(v.Brightness, rng), c = Factor(v.Contrast, rng), s = Factor(v.Saturation, rng);
        double h = (rng.NextDouble() * 2 - 1) * v.Hue;
        return new ColorJitterDraw((byte)order[0], (byte)order[1], (byte)order[2], (byte)order[3], b, c, s, h);
    }

    /// <summary>The jitter's steps in the drawn order (a step whose amount is 0 in the settings is left out).</summary>
    private static void ApplyJitter(Span<byte> rgb, ViewAugmentation v, ColorJitterDraw j)
    {
        Span<byte> order = [j.First, j.Second, j.Third, j.Fourth];
        foreach (int op in order)
        {
            switch (op)
            {
                case 0 when v.Brightness > 0: PilColor.Brightness(rgb, j.Brightness); break;
                case 1 when v.Contrast > 0: PilColor.Contrast(rgb, j.Contrast); break;
                case 2 when v.Saturation > 0: PilColor.Saturation(rgb, j.Saturation); break;
                case 3 when v.Hue > 0: PilColor.Hue(rgb, j.Hue); break;
            }
        }
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
