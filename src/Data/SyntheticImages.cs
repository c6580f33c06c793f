using System.Text.Json;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Vicreg.Data;

/// <summary>
/// Generates the synthetic shapes dataset used by the CPU quickstart. The class is the shape; every
/// nuisance (foreground and background colours, gradient and texture, position, scale 35–80% of the
/// image, rotation, distractor blobs and lines, pixel noise) is drawn independently of the class, so
/// colour and position carry no class information and random features do poorly, while features
/// invariant to VICReg's augmentations can recover the shape. Deterministic from the seed.
/// Layout: root/train/&lt;NN_shape&gt;/NNNN.png, root/val/&lt;NN_shape&gt;/NNNN.png, root/synthetic.json (.jpg files
/// with <see cref="SyntheticImageOptions.JpegQuality"/>).
/// </summary>
public static class SyntheticImages
{
    /// <summary>Bump when the drawing changes, so that cached datasets are regenerated.</summary>
    private const int GeneratorVersion = 4;
    /// <summary>Version of the clean drawing (clutter off), bumped on its own so cluttered sets stay valid.</summary>
    private const int CleanGeneratorVersion = 2;
    private const string MarkerName = "synthetic.json";
    private const string MarkerKind = "vicreg-synthetic-shapes";

    /// <summary>Number of distinct shape classes available.</summary>
    public static int MaxClasses => ShapeLibrary.Names.Length;

    /// <summary>Class folder name of class <paramref name="cls"/>, e.g. "00_circle".</summary>
    public static string ClassFolderName(int cls, bool clutter = true) => $"{cls:D2}_{ShapeLibrary.Names[ShapeOf(cls, clutter)]}";

    /// <summary>Clean images order the shapes so that the hexagon, which a 16-px view cannot tell from the
    /// circle, comes last (after the ell and the semicircle): ten clean classes are ten distinct shapes.</summary>
    private static readonly int[] CleanOrder = [0, 1, 2, 3, 4, 5, 6, 11, 8, 9, 10, 7];

    /// <summary>The shape drawn for class <paramref name="cls"/>.</summary>
    public static int ShapeOf(int cls, bool clutter) => clutter ? cls : CleanOrder[cls];

    /// <summary>
    /// Writes the dataset under <paramref name="root"/>, unless root/train already holds a complete
    /// dataset made with the same options (then nothing is written). A dataset made with other options
    /// is deleted and regenerated. A root/train not made by this generator is never deleted: that throws.
    /// </summary>
    /// <param name="progress">Receives the number of images written so far (throttled).</param>
    public static void Generate(string root, SyntheticImageOptions options, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var folder = new SyntheticDatasetFolder(root, MarkerName, MarkerKind);
        string complete = MarkerJson(options, complete: true);
        if (folder.ReuseOrReset(complete, MarkerJson(options, complete: false))) return;
        IImageEncoder encoder = options.JpegQuality is { } quality
            ? new JpegEncoder { Quality = quality, ColorType = JpegColorType.YCbCrRatio420 }
            : new PngEncoder();
        string extension = options.JpegQuality is null ? "png" : "jpg";
        folder.Write(options.Classes, options.TrainPerClass, options.ValPerClass, c => ClassFolderName(c, options.Clutter), job =>
        {
            var rng = SeedMix.Rng(options.Seed, GeneratorVersion, job.Split, job.Cls, job.Index);
            byte[] rgb = Render(job.Cls, options.Size, rng, options.Clutter);
            using var image = Image.LoadPixelData<Rgb24>(rgb, options.Size, options.Size);
            image.Save(Path.Combine(job.Dir, $"{job.Index:D4}.{extension}"), encoder);
        }, progress);
        folder.MarkComplete(complete);
    }

    /// <summary>Renders one image of class <paramref name="cls"/> as interleaved RGB bytes.</summary>
    internal static byte[] Render(int cls, int size, Random rng, bool clutter = true)
    {
        var canvas = new SyntheticCanvas(size);
        var (fg, bg) = clutter ? ContrastingPair(rng) : DarkOrLight(rng);
        // Mild background gradient and texture: strong ones identify an image by themselves, and then
        // self-supervision learns the background instead of the shape.
        canvas.Background(bg, bg.Jitter(25, rng), rng.NextDouble() * 2 * Math.PI, 4 + rng.NextDouble() * 6, rng);

        // Distractors: some behind the shape, some in front (occluding a little).
        int distractors = clutter ? rng.Next(3) : 0;
        var front = new List<Action>();
        for (int d = 0; d < distractors; d++)
        {
            var draw = Distractor(canvas, size, rng);
            if (rng.NextDouble() < 0.5) draw(); else front.Add(draw);
        }

        double radius = (clutter ? 0.35 + rng.NextDouble() * 0.45 : 0.5 + rng.NextDouble() * 0.4) * size / 2; // shape extent 35–80% (clean: 50–90%) of the side
        double margin = radius * 0.85; // allow slight clipping at the border
        double cx = margin + rng.NextDouble() * Math.Max(0, size - 2 * margin);
        double cy = margin + rng.NextDouble() * Math.Max(0, size - 2 * margin);
        // Clean images are upright ± 15°: the two views of an image share its rotation (no augmentation rotates),
        // so a full turn would make the angle a nuisance as strong as the shape itself.
        double angle = clutter ? rng.NextDouble() * 2 * Math.PI : (rng.NextDouble() * 2 - 1) * Math.PI / 12;
        double cos = Math.Cos(angle), sin = Math.Sin(angle);
        canvas.Fill((x, y) =>
        {
            double dx = x - cx, dy = y - cy;
            return ShapeLibrary.Inside(ShapeOf(cls, clutter), (cos * dx + sin * dy) / radius, (-sin * dx + cos * dy) / radius);
        }, fg, cx - radius - 1, cy - radius - 1, cx + radius + 1, cy + radius + 1);

        foreach (var draw in front) draw();
        if (clutter) canvas.Noise(4 + rng.NextDouble() * 6, rng);
        return canvas.ToBytes();
    }

    /// <summary>Foreground and background from a small palette (colour must not identify an image, or
    /// self-supervision learns colour instead of shape), redrawn until their lumas differ by 50, so that
    /// the shape survives grayscale views. Symmetric in the two, so neither is class-biased.</summary>
    private static (Rgb Fg, Rgb Bg) ContrastingPair(Random rng)
    {
        while (true)
        {
            Rgb fg = Rgb.FromPalette(rng), bg = Rgb.FromPalette(rng);
            if (Math.Abs(fg.Luma - bg.Luma) >= 50) return (fg, bg);
        }
    }

    /// <summary>Clean images: a dark shape on a light ground or the reverse (jittered). Colour is the nuisance
    /// that both views of an image share most plainly (colour jitter barely moves it), and self-supervision
    /// learns it before anything else; two tones leave it one bit.</summary>
    private static (Rgb Fg, Rgb Bg) DarkOrLight(Random rng)
    {
        Rgb dark = new Rgb(30, 30, 40).Jitter(20, rng), light = new Rgb(235, 235, 225).Jitter(20, rng);
        return rng.NextDouble() < 0.5 ? (dark, light) : (light, dark);
    }

    /// <summary>A small disc or a thin line at a random place, in a random colour (drawn later).</summary>
    private static Action Distractor(SyntheticCanvas canvas, int size, Random rng)
    {
        var colour = Rgb.FromPalette(rng);
        double x = rng.NextDouble() * size, y = rng.NextDouble() * size;
        if (rng.NextDouble() < 0.5)
        {
            double r = (0.03 + rng.NextDouble() * 0.05) * size;
            return () => canvas.Fill((px, py) => (px - x) * (px - x) + (py - y) * (py - y) <= r * r,
                colour, x - r - 1, y - r - 1, x + r + 1, y + r + 1);
        }
        double len = (0.15 + rng.NextDouble() * 0.25) * size, a = rng.NextDouble() * 2 * Math.PI;
        double x2 = x + len * Math.Cos(a), y2 = y + len * Math.Sin(a);
        double half = 0.5 + rng.NextDouble() * 0.6;
        return () => canvas.Fill((px, py) => SegmentDistance(px, py, x, y, x2, y2) <= half, colour,
            Math.Min(x, x2) - 2, Math.Min(y, y2) - 2, Math.Max(x, x2) + 2, Math.Max(y, y2) + 2);
    }

    private static double SegmentDistance(double px, double py, double ax, double ay, double bx, double by)
    {
        double vx = bx - ax, vy = by - ay;
        double t = Math.Clamp(((px - ax) * vx + (py - ay) * vy) / (vx * vx + vy * vy), 0, 1);
        double dx = px - (ax + t * vx), dy = py - (ay + t * vy);
        return Math.Sqrt(dx * dx + dy * dy);
    }

    /// <summary>The marker of a PNG set keeps the form it had before JPEG files existed, so those sets stay valid.</summary>
    private static string MarkerJson(SyntheticImageOptions o, bool complete) => o.JpegQuality is { } quality
        ? JsonSerializer.Serialize(new
        {
            kind = MarkerKind,
            generator = GeneratorVersion,
            clean_generator = CleanGeneratorVersion,
            complete,
            options = new { o.Classes, o.TrainPerClass, o.ValPerClass, o.Size, o.Seed, o.Clutter, JpegQuality = quality },
        }, new JsonSerializerOptions { WriteIndented = true })
        : o.Clutter
        ? JsonSerializer.Serialize(new
        {
            kind = MarkerKind,
            generator = GeneratorVersion,
            complete,
            options = new { o.Classes, o.TrainPerClass, o.ValPerClass, o.Size, o.Seed },
        }, new JsonSerializerOptions { WriteIndented = true })
        : JsonSerializer.Serialize(new
        {
            kind = MarkerKind,
            generator = GeneratorVersion,
            clean_generator = CleanGeneratorVersion,
            complete,
            options = new { o.Classes, o.TrainPerClass, o.ValPerClass, o.Size, o.Seed, o.Clutter },
        }, new JsonSerializerOptions { WriteIndented = true });

    private static void Validate(SyntheticImageOptions o)
    {
        if (o.Classes < 1 || o.Classes > MaxClasses)
            throw new ArgumentOutOfRangeException(nameof(o), $"Classes must be between 1 and {MaxClasses} (got {o.Classes}).");
        if (o.TrainPerClass < 1)
            throw new ArgumentOutOfRangeException(nameof(o), $"TrainPerClass must be at least 1 (got {o.TrainPerClass}).");
        if (o.ValPerClass < 0)
            throw new ArgumentOutOfRangeException(nameof(o), $"ValPerClass must be at least 0 (got {o.ValPerClass}).");
        if (o.Size < 8)
            throw new ArgumentOutOfRangeException(nameof(o), $"Size must be at least 8 pixels (got {o.Size}).");
        if (o.JpegQuality is < 1 or > 100)
            throw new ArgumentOutOfRangeException(nameof(o), $"JpegQuality must be between 1 and 100 (got {o.JpegQuality}).");
    }
}
