namespace Vicreg.Data;

/// <summary>
/// A small float RGB canvas (HWC, 0..255) with the drawing primitives of the synthetic dataset:
/// background gradient and texture, antialiased fills (2×2 supersampling) and pixel noise.
/// </summary>
internal sealed class SyntheticCanvas
{
    private static readonly (double, double)[] SubPixels = [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)];
    private readonly float[] _px;

    public SyntheticCanvas(int size)
    {
        Size = size;
        _px = new float[size * size * 3];
    }

    public int Size { get; }

    /// <summary>Linear gradient from <paramref name="c0"/> to <paramref name="c1"/> along angle
    /// <paramref name="angle"/>, plus a few low-frequency luminance waves of total amplitude
    /// <paramref name="textureAmp"/>.</summary>
    public void Background(Rgb c0, Rgb c1, double angle, double textureAmp, Random rng)
    {
        int waves = 3;
        var freq = new (double Fx, double Fy, double Phase, double Amp)[waves];
        for (int w = 0; w < waves; w++)
        {
            double a = rng.NextDouble() * 2 * Math.PI, cycles = 0.5 + rng.NextDouble() * 2.5;
            freq[w] = (Math.Cos(a) * cycles * 2 * Math.PI / Size, Math.Sin(a) * cycles * 2 * Math.PI / Size,
                rng.NextDouble() * 2 * Math.PI, textureAmp / waves * (0.5 + rng.NextDouble()));
        }
        double dx = Math.Cos(angle), dy = Math.Sin(angle), half = Size / 2.0;
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                // t in [0,1] along the gradient direction across the image.
                double t = 0.5 + ((x - half) * dx + (y - half) * dy) / (Size * 1.42);
                double tex = 0;
                foreach (var f in freq) tex += f.Amp * Math.Sin(f.Fx * x + f.Fy * y + f.Phase);
                int o = (y * Size + x) * 3;
                _px[o] = (float)(c0.R + t * (c1.R - c0.R) + tex);
                _px[o + 1] = (float)(c0.G + t * (c1.G - c0.G) + tex);
                _px[o + 2] = (float)(c0.B + t * (c1.B - c0.B) + tex);
            }
    }

    /// <summary>Fills the pixels whose coverage by <paramref name="inside"/> (in pixel coordinates) is
    /// positive, blending by coverage. Only the box [x0,x1)×[y0,y1) is scanned.</summary>
    public void Fill(Func<double, double, bool> inside, Rgb colour, double x0, double y0, double x1, double y1)
    {
        int xa = Math.Max(0, (int)Math.Floor(x0)), ya = Math.Max(0, (int)Math.Floor(y0));
        int xb = Math.Min(Size, (int)Math.Ceiling(x1)), yb = Math.Min(Size, (int)Math.Ceiling(y1));
        for (int y = ya; y < yb; y++)
            for (int x = xa; x < xb; x++)
            {
                int hits = 0;
                foreach (var (sx, sy) in SubPixels)
                    if (inside(x + sx, y + sy)) hits++;
                if (hits == 0) continue;
                float a = hits / 4f;
                int o = (y * Size + x) * 3;
                _px[o] += a * ((float)colour.R - _px[o]);
                _px[o + 1] += a * ((float)colour.G - _px[o + 1]);
                _px[o + 2] += a * ((float)colour.B - _px[o + 2]);
            }
    }

    /// <summary>Adds independent Gaussian noise of standard deviation <paramref name="sigma"/>.</summary>
    public void Noise(double sigma, Random rng)
    {
        for (int i = 0; i < _px.Length; i += 2)
        {
            // Box–Muller, both outputs used.
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            double r = sigma * Math.Sqrt(-2 * Math.Log(u1));
            var (sin, cos) = Math.SinCos(2 * Math.PI * u2);
            _px[i] += (float)(r * cos);
            if (i + 1 < _px.Length) _px[i + 1] += (float)(r * sin);
        }
    }

    /// <summary>Interleaved RGB bytes, rounded and clamped.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[_px.Length];
        for (int i = 0; i < _px.Length; i++) bytes[i] = (byte)Math.Clamp(MathF.Round(_px[i]), 0f, 255f);
        return bytes;
    }
}

/// <summary>An RGB colour on the 0..255 scale.</summary>
internal readonly record struct Rgb(double R, double G, double B)
{
    /// <summary>ITU-R 601-2 luma.</summary>
    public double Luma => 0.299 * R + 0.587 * G + 0.114 * B;

    public static Rgb Uniform(Random rng) => new(rng.NextDouble() * 255, rng.NextDouble() * 255, rng.NextDouble() * 255);

    /// <summary>Four well-separated colours (ten contrasting foreground/background pairs). Drawing from a
    /// few colours (with a little jitter) keeps colour from identifying an image, so self-supervised
    /// invariance has to come from the shape rather than from a colour fingerprint.</summary>
    private static readonly Rgb[] Palette =
    {
        new(30, 30, 40), new(235, 235, 225), new(220, 50, 47), new(42, 161, 152),
    };

    public static Rgb FromPalette(Random rng) => Palette[rng.Next(Palette.Length)].Jitter(20, rng);

    /// <summary>This colour moved by up to ±<paramref name="amount"/> per channel, clamped.</summary>
    public Rgb Jitter(double amount, Random rng) => new(
        Math.Clamp(R + (rng.NextDouble() * 2 - 1) * amount, 0, 255),
        Math.Clamp(G + (rng.NextDouble() * 2 - 1) * amount, 0, 255),
        Math.Clamp(B + (rng.NextDouble() * 2 - 1) * amount, 0, 255));
}
