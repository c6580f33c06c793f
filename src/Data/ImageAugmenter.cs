using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Vicreg.Data;

/// <summary>
/// The VICReg view augmentation (official augmentations.py) in C#: RandomResizedCrop (bicubic),
/// horizontal flip, colour jitter, grayscale, Gaussian blur, solarize, ToTensor and Normalize.
/// Crop and resize run in ImageSharp; the colour operations run on the small Size×Size float buffer.
/// </summary>
public static class ImageAugmenter
{
    /// <summary>Produces one augmented view as a normalised CHW float array of length 3·Size·Size.</summary>
    public static float[] Apply(Image<Rgb24> source, ViewAugmentation view, Random rng)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(rng);
        Validate(view.Size, view.Mean, view.Std);

        int s = view.Size, plane = s * s;
        var box = SampleCropBox(source.Width, source.Height, view, rng);
        var rect = new Rectangle(box.X, box.Y, box.Width, box.Height);
        float[] buf;
        using (var resized = source.Clone(c => c.Crop(rect).Resize(s, s, KnownResamplers.Bicubic)))
            buf = ToPlanar(resized);

        if (rng.NextDouble() < view.FlipP) PixelOps.FlipHorizontal(buf, s);
        if (rng.NextDouble() < view.JitterP) ColorJitter(buf, plane, view, rng);
        if (rng.NextDouble() < view.GrayscaleP) PixelOps.Grayscale(buf, plane);
        if (rng.NextDouble() < view.BlurP)
        {
            double sigma = view.BlurSigmaMin + rng.NextDouble() * (view.BlurSigmaMax - view.BlurSigmaMin);
            PixelOps.GaussianBlur(buf, s, sigma);
        }
        if (rng.NextDouble() < view.SolarizeP) PixelOps.Solarize(buf);

        PixelOps.Normalize(buf, plane, view.Mean, view.Std);
        return buf;
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
        float[] buf;
        using (var img = source.Clone(c => c.Resize(rw, rh, KnownResamplers.Bicubic)
                   .Crop(new Rectangle(left, top, size, size))))
            buf = ToPlanar(img);
        PixelOps.Normalize(buf, size * size, mean, std);
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

    /// <summary>torchvision ColorJitter: factors drawn first, then applied in a random order.</summary>
    private static void ColorJitter(float[] buf, int plane, ViewAugmentation v, Random rng)
    {
        Span<int> order = stackalloc int[] { 0, 1, 2, 3 };
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        float b = Factor(v.Brightness, rng), c = Factor(v.Contrast, rng), s = Factor(v.Saturation, rng);
        float h = (float)((rng.NextDouble() * 2 - 1) * v.Hue);
        foreach (int op in order)
        {
            switch (op)
            {
                case 0 when v.Brightness > 0: PixelOps.Brightness(buf, b); break;
                case 1 when v.Contrast > 0: PixelOps.Contrast(buf, plane, c); break;
                case 2 when v.Saturation > 0: PixelOps.Saturation(buf, plane, s); break;
                case 3 when v.Hue > 0: PixelOps.Hue(buf, plane, h); break;
            }
        }
    }

    private static float Factor(double amount, Random rng) =>
        (float)Math.Max(0, 1 - amount + rng.NextDouble() * 2 * amount);

    /// <summary>Copies an Rgb24 image to a planar CHW float buffer on the 0..255 scale.</summary>
    private static float[] ToPlanar(Image<Rgb24> img)
    {
        int w = img.Width, h = img.Height, plane = w * h;
        var buf = new float[3 * plane];
        img.ProcessPixelRows(acc =>
        {
            for (int y = 0; y < h; y++)
            {
                var row = acc.GetRowSpan(y);
                int o = y * w;
                for (int x = 0; x < w; x++)
                {
                    var p = row[x];
                    buf[o + x] = p.R;
                    buf[plane + o + x] = p.G;
                    buf[2 * plane + o + x] = p.B;
                }
            }
        });
        return buf;
    }

    private static void Validate(int size, float[] mean, float[] std)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (mean is not { Length: 3 }) throw new ArgumentException("Mean must have 3 entries (RGB).", nameof(mean));
        if (std is not { Length: 3 }) throw new ArgumentException("Std must have 3 entries (RGB).", nameof(std));
    }
}
