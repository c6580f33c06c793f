namespace Vicreg.Data;

/// <summary>
/// The shape classes of the synthetic dataset as inside-tests in unit shape coordinates: every shape
/// lies within the unit disc, so a renderer can scale, rotate and translate it freely. Shapes are
/// chosen to stay distinct under rotation and uniform scale (e.g. the diamond is an elongated rhombus,
/// not a rotated square).
/// </summary>
internal static class ShapeLibrary
{
    public static readonly string[] Names =
    [
        "circle", "square", "triangle", "star", "cross", "ring",
        "diamond", "hexagon", "chevron", "crescent", "semicircle", "ell",
    ];

    private static readonly (double X, double Y)[] Triangle = RegularPolygon(3, 1.0, Math.PI / 2);
    private static readonly (double X, double Y)[] Hexagon = RegularPolygon(6, 0.95, 0);
    private static readonly (double X, double Y)[] Star = StarPolygon(5, 1.0, 0.42);
    private static readonly (double X, double Y)[] Chevron =
        [(-0.9, -0.35), (0, 0.75), (0.9, -0.35), (0.9, -0.9), (0, 0.2), (-0.9, -0.9)];

    /// <summary>Whether (u, v) lies inside shape <paramref name="cls"/>.</summary>
    public static bool Inside(int cls, double u, double v)
    {
        double r2 = u * u + v * v;
        return cls switch
        {
            0 => r2 <= 0.9 * 0.9,
            1 => Math.Abs(u) <= 0.7 && Math.Abs(v) <= 0.7,
            2 => InPolygon(Triangle, u, v),
            3 => InPolygon(Star, u, v),
            4 => (Math.Abs(u) <= 0.28 && Math.Abs(v) <= 0.95) || (Math.Abs(v) <= 0.28 && Math.Abs(u) <= 0.95),
            5 => r2 >= 0.55 * 0.55 && r2 <= 0.95 * 0.95,
            6 => Math.Abs(u) / 0.55 + Math.Abs(v) <= 1.0,
            7 => InPolygon(Hexagon, u, v),
            8 => InPolygon(Chevron, u, v),
            9 => r2 <= 0.95 * 0.95 && (u - 0.4) * (u - 0.4) + v * v >= 0.75 * 0.75,
            10 => u * u + (v + 0.4) * (v + 0.4) <= 0.9 * 0.9 && v >= -0.4,
            11 => (Math.Abs(u) <= 0.8 && v >= -0.8 && v <= -0.35) || (u >= -0.8 && u <= -0.35 && Math.Abs(v) <= 0.8),
            _ => throw new ArgumentOutOfRangeException(nameof(cls)),
        };
    }

    /// <summary>Even–odd crossing test.</summary>
    private static bool InPolygon((double X, double Y)[] poly, double x, double y)
    {
        bool inside = false;
        for (int i = 0, j = poly.Length - 1; i < poly.Length; j = i++)
        {
            var (xi, yi) = poly[i];
            var (xj, yj) = poly[j];
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
                inside = !inside;
        }
        return inside;
    }

    private static (double, double)[] RegularPolygon(int n, double radius, double phase) =>
        Enumerable.Range(0, n)
            .Select(k => (radius * Math.Cos(phase + 2 * Math.PI * k / n), radius * Math.Sin(phase + 2 * Math.PI * k / n)))
            .ToArray();

    private static (double, double)[] StarPolygon(int points, double outer, double inner) =>
        Enumerable.Range(0, 2 * points)
            .Select(k =>
            {
                double r = k % 2 == 0 ? outer : inner;
                double a = Math.PI / 2 + Math.PI * k / points;
                return (r * Math.Cos(a), r * Math.Sin(a));
            })
            .ToArray();
}
