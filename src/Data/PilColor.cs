namespace Vicreg.Data;

/// <summary>
/// The colour steps of the official augmentation with the arithmetic of what the official code runs
/// them on: torchvision 0.14's PIL path, i.e. Pillow 9.4 (ImageEnhance blends in float with truncation,
/// "L" conversion in 16-bit fixed point, hue through Pillow's 8-bit HSV). Pixels are interleaved RGB
/// bytes (HWC), changed in place.
/// </summary>
public static class PilColor
{
    /// <summary>ITU-R 601-2 luma as Pillow's RGB→L conversion computes it (exact).</summary>
    public static byte Luma(int r, int g, int b) => (byte)((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);

    /// <summary>Mirror each row (RandomHorizontalFlip).</summary>
    public static void FlipHorizontal(Span<byte> rgb, int width, int height)
    {
        for (int y = 0; y < height; y++)
        {
            var row = rgb.Slice(y * width * 3, width * 3);
            for (int l = 0, r = width - 1; l < r; l++, r--)
            {
                int a = 3 * l, b = 3 * r;
                (row[a], row[b]) = (row[b], row[a]);
                (row[a + 1], row[b + 1]) = (row[b + 1], row[a + 1]);
                (row[a + 2], row[b + 2]) = (row[b + 2], row[a + 2]);
            }
        }
    }

    /// <summary>Pillow ImagingBlend of one 8-bit value: in1 + α(in2 − in1) in float, truncated, clipped when extrapolating.</summary>
    public static byte Blend(int in1, int in2, float alpha)
    {
        float t = in1 + alpha * (in2 - in1);
        return t <= 0f ? (byte)0 : t >= 255f ? (byte)255 : (byte)t;
    }

    /// <summary>torchvision adjust_brightness (PIL ImageEnhance.Brightness): blend with black.</summary>
    public static void Brightness(Span<byte> rgb, float factor)
    {
        Span<byte> lut = stackalloc byte[256];
        for (int v = 0; v < 256; v++) lut[v] = Blend(0, v, factor);
        ApplyLut(rgb, lut);
    }

    /// <summary>torchvision adjust_contrast (PIL ImageEnhance.Contrast): blend with the rounded mean luma.</summary>
    public static void Contrast(Span<byte> rgb, float factor)
    {
        long sum = 0;
        int n = rgb.Length / 3;
        for (int i = 0; i < rgb.Length; i += 3) sum += Luma(rgb[i], rgb[i + 1], rgb[i + 2]);
        int mean = (int)((double)sum / n + 0.5);
        Span<byte> lut = stackalloc byte[256];
        for (int v = 0; v < 256; v++) lut[v] = Blend(mean, v, factor);
        ApplyLut(rgb, lut);
    }

    /// <summary>torchvision adjust_saturation (PIL ImageEnhance.Color): blend with the image's luma.</summary>
    public static void Saturation(Span<byte> rgb, float factor)
    {
        for (int i = 0; i < rgb.Length; i += 3)
        {
            int r = rgb[i], g = rgb[i + 1], b = rgb[i + 2];
            int l = Luma(r, g, b);
            rgb[i] = Blend(l, r, factor);
            rgb[i + 1] = Blend(l, g, factor);
            rgb[i + 2] = Blend(l, b, factor);
        }
    }

    /// <summary>
    /// torchvision adjust_hue on a PIL image: convert to Pillow's 8-bit HSV, add
    /// <c>np.uint8(factor·255)</c> to H (wrapping), convert back. The round trip itself is lossy, as in
    /// torchvision, so it runs even for a factor that rounds to 0.
    /// </summary>
    public static void Hue(Span<byte> rgb, double factor)
    {
        byte shift = unchecked((byte)(int)(factor * 255.0));
        for (int i = 0; i < rgb.Length; i += 3)
        {
            RgbToHsv(rgb[i], rgb[i + 1], rgb[i + 2], out byte h, out byte s, out byte v);
            h = unchecked((byte)(h + shift));
            HsvToRgb(h, s, v, out rgb[i], out rgb[i + 1], out rgb[i + 2]);
        }
    }

    /// <summary>Pillow's rgb2hsv_row (Convert.c), same float/double mix.</summary>
    public static void RgbToHsv(byte r, byte g, byte b, out byte h, out byte s, out byte v)
    {
        byte maxc = Math.Max(r, Math.Max(g, b)), minc = Math.Min(r, Math.Min(g, b));
        v = maxc;
        if (minc == maxc) { h = 0; s = 0; return; }
        float cr = maxc - minc;
        float sf = cr / maxc;
        float rc = (maxc - r) / cr, gc = (maxc - g) / cr, bc = (maxc - b) / cr;
        float hf;
        if (r == maxc) hf = bc - gc;
        else if (g == maxc) hf = (float)(2.0 + rc - bc);
        else hf = (float)(4.0 + gc - rc);
        // fmod(x, 1.0) for x = hf/6 + 1 in [0, 2): x − 1 is exact there, so this equals C's fmod.
        double x = hf / 6.0 + 1.0;
        hf = (float)(x >= 1.0 ? x - 1.0 : x);
        h = Clip8((int)(hf * 255.0));
        s = Clip8((int)(sf * 255.0));
    }

    private static readonly int[] HueSector = Enumerable.Range(0, 256).Select(h => (int)Math.Floor((float)h * 6.0 / 255.0)).ToArray();
    private static readonly float[] HueFraction = Enumerable.Range(0, 256).Select(h => (float)((float)h * 6.0 / 255.0 - (float)HueSector[h])).ToArray();
    private static readonly float[] SatFraction = Enumerable.Range(0, 256).Select(s => (float)(s / 255.0)).ToArray();

    /// <summary>C's round() (half away from zero) for x ≥ 0, without Math.Round's slow path: x − trunc(x) is exact.</summary>
    private static int RoundHalfUp(double x)
    {
        double t = Math.Truncate(x);
        return (int)(x - t >= 0.5 ? t + 1 : t);
    }

    /// <summary>Pillow's hsv2rgb (Convert.c), same float/double mix and round-half-away.</summary>
    public static void HsvToRgb(byte h, byte s, byte v, out byte r, out byte g, out byte b)
    {
        if (s == 0) { r = g = b = v; return; }
        int i = HueSector[h];
        float f = HueFraction[h];
        float fs = SatFraction[s];
        byte p = Clip8(RoundHalfUp(v * (1.0 - fs)));
        byte q = Clip8(RoundHalfUp(v * (1.0 - fs * f)));
        byte t = Clip8(RoundHalfUp(v * (1.0 - fs * (1.0 - f))));
        switch (i % 6)
        {
            case 0: r = v; g = t; b = p; break;
            case 1: r = q; g = v; b = p; break;
            case 2: r = p; g = v; b = t; break;
            case 3: r = p; g = q; b = v; break;
            case 4: r = t; g = p; b = v; break;
            default: r = v; g = p; b = q; break;
        }
    }

    /// <summary>RandomGrayscale with 3 output channels: every channel becomes the 601-2 luma.</summary>
    public static void Grayscale(Span<byte> rgb)
    {
        for (int i = 0; i < rgb.Length; i += 3)
        {
            byte l = Luma(rgb[i], rgb[i + 1], rgb[i + 2]);
            rgb[i] = l;
            rgb[i + 1] = l;
            rgb[i + 2] = l;
        }
    }

    /// <summary>PIL ImageOps.solarize(threshold 128): values ≥ 128 become 255 − v.</summary>
    public static void Solarize(Span<byte> rgb)
    {
        for (int i = 0; i < rgb.Length; i++)
            if (rgb[i] >= 128) rgb[i] = (byte)(255 - rgb[i]);
    }

    /// <summary>
    /// ToTensor then Normalize, written as planar CHW floats: ((v / 255) − mean) / std in float32, the
    /// same operations as torchvision. <paramref name="solarize"/> folds a final solarize into the table.
    /// </summary>
    public static void ToNormalizedChw(ReadOnlySpan<byte> rgb, float[] mean, float[] std, Span<float> dst, bool solarize = false)
    {
        int plane = rgb.Length / 3;
        if (dst.Length < 3 * plane) throw new ArgumentException("Destination is smaller than 3 planes.", nameof(dst));
        Span<float> lut = stackalloc float[3 * 256];
        for (int c = 0; c < 3; c++)
            for (int v = 0; v < 256; v++)
            {
                int u = solarize && v >= 128 ? 255 - v : v;
                lut[c * 256 + v] = ((float)u / 255f - mean[c]) / std[c];
            }
        var r = dst.Slice(0, plane);
        var g = dst.Slice(plane, plane);
        var b = dst.Slice(2 * plane, plane);
        ReadOnlySpan<float> lr = lut.Slice(0, 256), lg = lut.Slice(256, 256), lb = lut.Slice(512, 256);
        for (int i = 0, j = 0; i < plane; i++, j += 3)
        {
            r[i] = lr[rgb[j]];
            g[i] = lg[rgb[j + 1]];
            b[i] = lb[rgb[j + 2]];
        }
    }

    private static void ApplyLut(Span<byte> rgb, ReadOnlySpan<byte> lut)
    {
        for (int i = 0; i < rgb.Length; i++) rgb[i] = lut[rgb[i]];
    }

    private static byte Clip8(int v) => v <= 0 ? (byte)0 : v >= 255 ? (byte)255 : (byte)v;
}
