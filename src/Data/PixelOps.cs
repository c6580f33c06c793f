namespace Vicreg.Data;

/// <summary>
/// Colour operations on a planar RGB buffer (CHW, values on the 0..255 scale). The official code runs
/// these on 8-bit PIL images, so every operation ends by rounding and clamping to 0..255, as PIL does.
/// </summary>
internal static class PixelOps
{
    /// <summary>Round to the nearest integer and clamp to [0, 255], like PIL's 8-bit storage.</summary>
    public static float Q(float v) => v <= 0f ? 0f : v >= 255f ? 255f : MathF.Round(v);

    /// <summary>PIL's "L" conversion: ITU-R 601-2 luma in 16-bit fixed point, exact on integer inputs.</summary>
    public static float Luma(float r, float g, float b) =>
        ((int)(r * 19595f + g * 38470f + b * 7471f) + 0x8000) >> 16;

    public static void FlipHorizontal(float[] buf, int size)
    {
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < size; y++)
                Array.Reverse(buf, c * size * size + y * size, size);
    }

    /// <summary>Blend with black: x * f (PIL ImageEnhance.Brightness).</summary>
    public static void Brightness(float[] buf, float f)
    {
        for (int i = 0; i < buf.Length; i++) buf[i] = Q(buf[i] * f);
    }

    /// <summary>Blend with the rounded mean of the grayscale image (PIL ImageEnhance.Contrast).</summary>
    public static void Contrast(float[] buf, int plane, float f)
    {
        double sum = 0;
        for (int i = 0; i < plane; i++) sum += Luma(buf[i], buf[plane + i], buf[2 * plane + i]);
        float mean = (float)Math.Floor(sum / plane + 0.5);
        for (int i = 0; i < buf.Length; i++) buf[i] = Q(mean + f * (buf[i] - mean));
    }

    /// <summary>Blend with the grayscale image (PIL ImageEnhance.Color).</summary>
    public static void Saturation(float[] buf, int plane, float f)
    {
        for (int i = 0; i < plane; i++)
        {
            float l = Luma(buf[i], buf[plane + i], buf[2 * plane + i]);
            buf[i] = Q(l + f * (buf[i] - l));
            buf[plane + i] = Q(l + f * (buf[plane + i] - l));
            buf[2 * plane + i] = Q(l + f * (buf[2 * plane + i] - l));
        }
    }

    /// <summary>Rotate the hue by <paramref name="shift"/> of a full turn in HSV (torchvision adjust_hue).</summary>
    public static void Hue(float[] buf, int plane, float shift)
    {
        for (int i = 0; i < plane; i++)
        {
            float r = buf[i], g = buf[plane + i], b = buf[2 * plane + i];
            float max = MathF.Max(r, MathF.Max(g, b)), min = MathF.Min(r, MathF.Min(g, b));
            float delta = max - min;
            if (delta <= 0f) continue; // grey pixel: hue undefined and unchanged
            float h;
            if (max == r) h = (g - b) / delta / 6f;
            else if (max == g) h = ((b - r) / delta + 2f) / 6f;
            else h = ((r - g) / delta + 4f) / 6f;
            h += shift;
            h -= MathF.Floor(h);
            float s = delta / max, v = max;
            float h6 = h * 6f;
            int sector = (int)h6 % 6;
            float frac = h6 - MathF.Floor(h6);
            float p = v * (1 - s), q = v * (1 - s * frac), t = v * (1 - s * (1 - frac));
            (r, g, b) = sector switch
            {
                0 => (v, t, p),
                1 => (q, v, p),
                2 => (p, v, t),
                3 => (p, q, v),
                4 => (t, p, v),
                _ => (v, p, q),
            };
            buf[i] = Q(r);
            buf[plane + i] = Q(g);
            buf[2 * plane + i] = Q(b);
        }
    }

    /// <summary>Replace every channel with the 601-2 luma (RandomGrayscale with 3 output channels).</summary>
    public static void Grayscale(float[] buf, int plane)
    {
        for (int i = 0; i < plane; i++)
        {
            float l = Luma(buf[i], buf[plane + i], buf[2 * plane + i]);
            buf[i] = l;
            buf[plane + i] = l;
            buf[2 * plane + i] = l;
        }
    }

    /// <summary>Pixels at or above 128 become 255 - p (PIL ImageOps.solarize).</summary>
    public static void Solarize(float[] buf)
    {
        for (int i = 0; i < buf.Length; i++)
            if (buf[i] >= 128f) buf[i] = 255f - buf[i];
    }

    /// <summary>
    /// Separable Gaussian blur. The official code uses PIL GaussianBlur(radius=sigma), where "radius" is
    /// the standard deviation; we use a true Gaussian kernel truncated at ceil(3 sigma) (odd size
    /// 2*ceil(3 sigma)+1, at most the image side) with edge replication, as PIL extends edges.
    /// </summary>
    public static void GaussianBlur(float[] buf, int size, double sigma)
    {
        int radius = Math.Min((int)Math.Ceiling(3 * sigma), size - 1);
        if (radius < 1 || sigma <= 0) return;
        var k = new float[2 * radius + 1];
        double norm = 0;
        for (int i = -radius; i <= radius; i++) norm += k[i + radius] = (float)Math.Exp(-i * i / (2 * sigma * sigma));
        for (int i = 0; i < k.Length; i++) k[i] = (float)(k[i] / norm);

        int plane = size * size;
        var tmp = new float[plane];
        var line = new float[size + 2 * radius];
        for (int c = 0; c < 3; c++)
        {
            var src = buf.AsSpan(c * plane, plane);
            // Horizontal pass over an edge-extended copy of each row, so the inner loop needs no clamping.
            for (int y = 0; y < size; y++)
            {
                var row = src.Slice(y * size, size);
                line.AsSpan(0, radius).Fill(row[0]);
                row.CopyTo(line.AsSpan(radius));
                line.AsSpan(radius + size).Fill(row[size - 1]);
                for (int x = 0; x < size; x++)
                {
                    float acc = 0;
                    for (int t = 0; t < k.Length; t++) acc += k[t] * line[x + t];
                    tmp[y * size + x] = acc;
                }
            }
            // Vertical pass row by row (contiguous, vectorised), rows clamped at the edges.
            var rowAcc = new float[size];
            for (int y = 0; y < size; y++)
            {
                Array.Clear(rowAcc);
                for (int t = 0; t < k.Length; t++)
                {
                    int yy = Math.Clamp(y + t - radius, 0, size - 1);
                    AddScaled(rowAcc, tmp.AsSpan(yy * size, size), k[t]);
                }
                var dst = src.Slice(y * size, size);
                for (int x = 0; x < size; x++) dst[x] = Q(rowAcc[x]);
            }
        }
    }

    /// <summary>acc += w * x, with SIMD.</summary>
    private static void AddScaled(Span<float> acc, ReadOnlySpan<float> x, float w)
    {
        int i = 0, n = acc.Length, vs = System.Numerics.Vector<float>.Count;
        var wv = new System.Numerics.Vector<float>(w);
        for (; i <= n - vs; i += vs)
        {
            var a = new System.Numerics.Vector<float>(acc.Slice(i));
            (a + wv * new System.Numerics.Vector<float>(x.Slice(i))).CopyTo(acc.Slice(i));
        }
        for (; i < n; i++) acc[i] += w * x[i];
    }

    /// <summary>ToTensor (/255) then Normalize, in place.</summary>
    public static void Normalize(float[] buf, int plane, float[] mean, float[] std)
    {
        for (int c = 0; c < 3; c++)
        {
            float m = mean[c], s = std[c];
            for (int i = c * plane, end = i + plane; i < end; i++) buf[i] = (buf[i] / 255f - m) / s;
        }
    }
}
