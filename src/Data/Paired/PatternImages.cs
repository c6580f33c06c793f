namespace Vicreg.Data.Paired;

/// <summary>
/// The images of the generated pairs: ten two-colour patterns (stripes, checks, dots, rings, …), the image
/// counterpart of the sounds' timbres. The class is the pattern; its orientation, phase, centre, colours, background
/// shading and pixel noise are drawn at random, independently of the class, and its period (16–28 px at 64 px, a
/// quarter to a half of the side) is given by the caller: coarse enough that a whole image shrunk to a 16- or 24-px
/// evaluation view still shows it (at 9–16 px, thin lines, stripes, zigzags and waves blurred into one another at
/// 16 px).
/// Patterns rather than the shapes of <see cref="SyntheticImages"/>: a small network learns a shape from the sound
/// of its class far too slowly for a CPU quickstart (measured: no gain over random init in 900 steps), while a
/// pattern, like a timbre, is a local statistic that it picks up in a few hundred.
/// </summary>
internal static class PatternImages
{
    public static readonly string[] Names =
    [
        "stripes", "checks", "dots", "rings", "zigzag", "grid", "waves", "spokes", "thin-lines", "bricks",
    ];

    /// <summary>Renders one image of class <paramref name="cls"/> as interleaved RGB bytes; <paramref name="coarseness"/>
    /// in [0, 1] sets the period from its finest (16 px at 64 px) to its coarsest (28 px).</summary>
    public static byte[] Render(int cls, int size, Random rng, double coarseness)
    {
        var canvas = new SyntheticCanvas(size);
        var (fg, bg) = ContrastingPair(rng);
        canvas.Background(bg, bg.Jitter(25, rng), rng.NextDouble() * 2 * Math.PI, 4 + rng.NextDouble() * 6, rng);
        double angle = rng.NextDouble() * 2 * Math.PI, cos = Math.Cos(angle), sin = Math.Sin(angle);
        double period = (16 + Math.Clamp(coarseness, 0, 1) * 12) * size / 64.0;
        double pu = rng.NextDouble(), pv = rng.NextDouble();
        double cx = size * (0.2 + 0.6 * rng.NextDouble()), cy = size * (0.2 + 0.6 * rng.NextDouble());
        int spokes = 6 + rng.Next(5);
        canvas.Fill((x, y) =>
        {
            double dx = x - cx, dy = y - cy;
            double u = (cos * dx + sin * dy) / period + pu, v = (-sin * dx + cos * dy) / period + pv;
            return Inside(cls, u, v, Math.Sqrt(dx * dx + dy * dy) / period, Math.Atan2(dy, dx), spokes);
        }, fg, 0, 0, size, size);
        canvas.Noise(4 + rng.NextDouble() * 6, rng);
        return canvas.ToBytes();
    }

    /// <summary>Whether a point in pattern coordinates (u, v in periods; r and θ around the centre) is foreground.</summary>
    private static bool Inside(int cls, double u, double v, double r, double theta, int spokes) => cls switch
    {
        0 => Frac(u) < 0.5,
        1 => (Math.Floor(u) + Math.Floor(v)) % 2 == 0,
        2 => Sq(Frac(u) - 0.5) + Sq(Frac(v) - 0.5) < 0.3 * 0.3,
        3 => Frac(r) < 0.5,
        4 => Frac(u + Math.Abs(Frac(v) - 0.5)) < 0.5,
        5 => Frac(u) < 0.22 || Frac(v) < 0.22,
        6 => Frac(u + 0.3 * Math.Sin(Math.PI * v)) < 0.5,
        7 => Frac(theta * spokes / (2 * Math.PI)) < 0.5,
        8 => Frac(u) < 0.18,
        _ => Frac(v) < 0.2 || Frac(u / 2 + (Math.Floor(v) % 2 == 0 ? 0 : 0.5)) < 0.1,
    };

    private static double Frac(double x) => x - Math.Floor(x);
    private static double Sq(double x) => x * x;

    /// <summary>Two palette colours whose lumas differ by at least 50, so the pattern survives grayscale views.</summary>
    private static (Rgb Fg, Rgb Bg) ContrastingPair(Random rng)
    {
        while (true)
        {
            Rgb fg = Rgb.FromPalette(rng), bg = Rgb.FromPalette(rng);
            if (Math.Abs(fg.Luma - bg.Luma) >= 50) return (fg, bg);
        }
    }
}
