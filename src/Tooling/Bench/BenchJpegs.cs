using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace Vicreg.Tooling.Bench;

/// <summary>
/// Deterministic photo-like JPEGs for the augmentation benchmark when no image folder is given: soft
/// blobs over gradients, mid-frequency texture and sensor-like noise, so that the entropy-coded size
/// (and so the decode cost) is that of a photograph (about 100 KB at 500×375, quality 90, 4:2:0),
/// not that of a flat synthetic image.
/// </summary>
public static class BenchJpegs
{
    public static IReadOnlyList<string> Ensure(string folder, int count, int width = 500, int height = 375)
    {
        Directory.CreateDirectory(folder);
        var paths = new List<string>();
        for (int i = 0; i < count; i++)
        {
            string path = Path.Combine(folder, $"bench-{width}x{height}-{i:D3}.jpg");
            if (!File.Exists(path))
            {
                using var img = Picture(width, height, i);
                string tmp = path + ".tmp";
                img.SaveAsJpeg(tmp, new JpegEncoder { Quality = 90, ColorType = JpegColorType.YCbCrRatio420 });
                File.Move(tmp, path, overwrite: true);
            }
            paths.Add(path);
        }
        return paths;
    }

    private static Image<Rgb24> Picture(int w, int h, int seed)
    {
        var rng = new Random(1000 + seed);
        var img = new Image<Rgb24>(w, h);
        // Coarse random grids give mid-frequency texture after bilinear interpolation.
        const int gx = 24, gy = 18;
        var grid = new float[3, gy + 1, gx + 1];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y <= gy; y++)
                for (int x = 0; x <= gx; x++)
                    grid[c, y, x] = (float)(rng.NextDouble() * 60 - 30);
        var blobs = Enumerable.Range(0, 14).Select(_ => (
            X: rng.NextDouble() * w, Y: rng.NextDouble() * h, R: 20 + rng.NextDouble() * 120,
            Col: new[] { rng.Next(256), rng.Next(256), rng.Next(256) })).ToArray();
        var top = new[] { rng.Next(256), rng.Next(256), rng.Next(256) };
        var bottom = new[] { rng.Next(256), rng.Next(256), rng.Next(256) };
        img.ProcessPixelRows(acc =>
        {
            Span<double> px = stackalloc double[3];
            for (int y = 0; y < h; y++)
            {
                var row = acc.GetRowSpan(y);
                double ty = (double)y / (h - 1);
                for (int x = 0; x < w; x++)
                {
                    for (int c = 0; c < 3; c++) px[c] = top[c] + (bottom[c] - top[c]) * ty;
                    foreach (var b in blobs)
                    {
                        double d2 = ((x - b.X) * (x - b.X) + (y - b.Y) * (y - b.Y)) / (b.R * b.R);
                        double a = d2 >= 1 ? 0 : (1 - d2) * (1 - d2);
                        for (int c = 0; c < 3; c++) px[c] += (b.Col[c] - px[c]) * a;
                    }
                    double fx = (double)x / w * gx, fy = (double)y / h * gy;
                    int ix = (int)fx, iy = (int)fy;
                    double ax = fx - ix, ay = fy - iy;
                    for (int c = 0; c < 3; c++)
                    {
                        double t = grid[c, iy, ix] * (1 - ax) * (1 - ay) + grid[c, iy, ix + 1] * ax * (1 - ay)
                                 + grid[c, iy + 1, ix] * (1 - ax) * ay + grid[c, iy + 1, ix + 1] * ax * ay;
                        double noise = (rng.NextDouble() + rng.NextDouble() - 1) * 36;
                        px[c] = Math.Clamp(px[c] + t + noise, 0, 255);
                    }
                    row[x] = new Rgb24((byte)px[0], (byte)px[1], (byte)px[2]);
                }
            }
        });
        return img;
    }
}
