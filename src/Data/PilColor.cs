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
        var tables = HsvTables.Instance;
        ReadOnlySpan<byte> hueOf = tables.Hue, satOf = tables.Saturation;
        Span<byte> vals = stackalloc byte[4];
        ReadOnlySpan<byte> branchOf = [4, 5, 0, 0, 2, 0, 3, 1];
        for (int i = 0; i < rgb.Length; i += 3)
        {
            int r = rgb[i], g = rgb[i + 1], b = rgb[i + 2];
            int maxc = Math.Max(r, Math.Max(g, b)), minc = Math.Min(r, Math.Min(g, b)), cr = maxc - minc;
            // Pillow's branch (r, then g, then b is the maximum) and which of the other two is the
            // minimum, from three comparisons without jumps; the hue is then a function of
            // (branch, a, cr) with a = max − middle. Ties pick entries that hold the same hue.
            int code = (r >= g ? 1 : 0) | (r >= b ? 2 : 0) | (g >= b ? 4 : 0);
            int a = maxc - (r + g + b - maxc - minc);
            int h = (byte)(hueOf[(branchOf[code] << 16) | (a << 8) | cr] + shift);
            // S = 0 (grey) gives p = q = t = v below, which is Pillow's (v, v, v).
            float f = HueFraction[h], fs = SatFraction[satOf[(cr << 8) | maxc]];
            double v = maxc;
            int sector = HueSector6[h] * 3;
            vals[0] = (byte)maxc;
            vals[1] = (byte)RoundHalfUp(v * (1.0 - fs));
            vals[2] = (byte)RoundHalfUp(v * (1.0 - fs * f));
            vals[3] = (byte)RoundHalfUp(v * (1.0 - fs * (1.0 - f)));
            rgb[i] = vals[SectorPick[sector]];
            rgb[i + 1] = vals[SectorPick[sector + 1]];
            rgb[i + 2] = vals[SectorPick[sector + 2]];
        }
    }

    /// <summary>The tables of <see cref="Hue"/>, for the same arithmetic on tensors (<see cref="DeviceAugmenter"/>): hue by
    /// (branch, max − middle, max − min), saturation by (max − min, max), the branch of each comparison code, the hue
    /// fraction and sector of each hue, the saturation fraction, and which of (v, p, q, t) make r, g, b per sector.</summary>
    internal static (byte[] Hue, byte[] Saturation, byte[] BranchOf, float[] HueFraction, int[] HueSector6, float[] SatFraction, byte[] SectorPick) HueTables() =>
        (HsvTables.Instance.Hue, HsvTables.Instance.Saturation, [4, 5, 0, 0, 2, 0, 3, 1], HueFraction, HueSector6, SatFraction, SectorPick.ToArray());

    /// <summary>For each sector i % 6, which of (v, p, q, t) become r, g, b (Pillow's switch).</summary>
    private static ReadOnlySpan<byte> SectorPick => [0, 3, 1, 2, 0, 1, 1, 0, 3, 1, 2, 0, 3, 1, 0, 0, 1, 2];

    /// <summary>Tables of Pillow's rgb2hsv, filled once from <see cref="RgbToHsv"/> itself.</summary>
    private sealed class HsvTables
    {
        public static readonly HsvTables Instance = new();
        public readonly byte[] Hue = new byte[6 << 16];
        public readonly byte[] Saturation = new byte[1 << 16];

        private HsvTables()
        {
            for (int cr = 1; cr < 256; cr++)
            {
                for (int maxc = cr; maxc < 256; maxc++)
                {
                    RgbToHsv((byte)maxc, (byte)(maxc - cr), (byte)(maxc - cr), out _, out byte s, out _);
                    Saturation[(cr << 8) | maxc] = s;
                }
                for (int a = 0; a <= cr; a++)
                {
                    // Representative colours with maximum cr, minimum 0, middle cr − a, in each branch.
                    int m = cr - a;
                    Put(0, a, cr, cr, 0, m);      // r max, g min (a = max − b)
                    Put(1, a, cr, cr, m, 0);      // r max, b min (a = max − g)
                    if (m < cr)
                    {
                        Put(2, a, cr, 0, cr, m);  // g max, r min (a = max − b)
                        Put(3, a, cr, m, cr, 0);  // g max, b min (a = max − r)
                        Put(4, a, cr, 0, m, cr);  // b max, r min (a = max − g)
                        Put(5, a, cr, m, 0, cr);  // b max, g min (a = max − r)
                    }
                    else
                        Put(2, a, cr, 0, cr, m);  // a = 0: g and b share the maximum; Pillow takes the g branch
                }
            }
        }

        private void Put(int branch, int a, int cr, int r, int g, int b)
        {
            RgbToHsv((byte)r, (byte)g, (byte)b, out byte h, out _, out _);
            Hue[(branch << 16) | (a << 8) | cr] = h;
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
    private static readonly int[] HueSector6 = HueSector.Select(i => i % 6).ToArray();
    private static readonly float[] SatFraction = Enumerable.Range(0, 256).Select(s => (float)(s / 255.0)).ToArray();

    /// <summary>C's round() (half away from zero) for x ≥ 0, without Math.Round's slow path or a
    /// data-dependent jump: the fraction x − trunc(x) and fraction − 0.5 are exact, so the sign bit of
    /// the latter says whether to round up (+0.0 at a tie: up, as C does).</summary>
    private static int RoundHalfUp(double x)
    {
        double t = Math.Truncate(x);
        int up = 1 - (int)((ulong)BitConverter.DoubleToInt64Bits(x - t - 0.5) >> 63);
        return (int)t + up;
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
