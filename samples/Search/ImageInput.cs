/// <summary>
/// An image as the exported image branch takes it, from the model's metadata: the shorter side resized to view_size
/// with Pillow's antialiased bicubic filter (a = −0.5), the centre view_size × view_size, scaled to [0, 1] and
/// normalised with the metadata's mean and std, channels first. (In floating point: Pillow rounds each pass to 8 bits,
/// so values can differ by one level.)
/// </summary>
static class ImageInput
{
    public static float[] Prepare(Rgb image, int size, float[] mean, float[] std)
    {
        int w = image.Width, h = image.Height;
        int rw = w <= h ? size : (int)((long)size * w / h), rh = w <= h ? (int)((long)size * h / w) : size;
        var resized = Resize(image, rw, rh);
        int left = (int)Math.Round((rw - size) / 2.0, MidpointRounding.ToEven), top = (int)Math.Round((rh - size) / 2.0, MidpointRounding.ToEven);
        var chw = new float[3 * size * size];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                {
                    float v = Math.Clamp(MathF.Round(resized[((top + y) * rw + left + x) * 3 + c]), 0, 255) / 255f;
                    chw[(c * size + y) * size + x] = (v - mean[c]) / std[c];
                }
        return chw;
    }

    /// <summary>Separable resize: along x, then along y (float RGB, interleaved).</summary>
    private static float[] Resize(Rgb image, int outW, int outH)
    {
        var src = image.Pixels.Select(b => (float)b).ToArray();
        var horizontal = Pass(src, image.Width, image.Height, outW, horizontalPass: true);
        return Pass(horizontal, outW, image.Height, outH, horizontalPass: false);
    }

    private static float[] Pass(float[] src, int w, int h, int outSize, bool horizontalPass)
    {
        int inSize = horizontalPass ? w : h;
        int ow = horizontalPass ? outSize : w, oh = horizontalPass ? h : outSize;
        var dst = new float[ow * oh * 3];
        double scale = (double)inSize / outSize, filterScale = Math.Max(scale, 1.0), support = 2.0 * filterScale;
        for (int o = 0; o < outSize; o++)
        {
            double centre = (o + 0.5) * scale;
            int min = Math.Max(0, (int)(centre - support + 0.5)), max = Math.Min(inSize, (int)(centre + support + 0.5));
            var weights = Enumerable.Range(min, max - min).Select(i => Bicubic((i - centre + 0.5) / filterScale)).ToArray();
            double total = weights.Sum();
            for (int line = 0; line < (horizontalPass ? h : w); line++)
                for (int c = 0; c < 3; c++)
                {
                    double acc = 0;
                    for (int i = min; i < max; i++)
                        acc += weights[i - min] * (horizontalPass ? src[(line * w + i) * 3 + c] : src[(i * w + line) * 3 + c]);
                    float v = (float)Math.Clamp(Math.Round(acc / total), 0, 255); // each pass in 8 bits, as Pillow
                    if (horizontalPass) dst[(line * ow + o) * 3 + c] = v; else dst[(o * ow + line) * 3 + c] = v;
                }
        }
        return dst;
    }

    private static double Bicubic(double x)
    {
        const double a = -0.5;
        x = Math.Abs(x);
        if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
        return 0.0;
    }
}
