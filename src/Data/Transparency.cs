using System.Globalization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Vicreg.Data;

/// <summary>
/// Images with an alpha channel. torchvision's loader (PIL's convert("RGB")) drops the alpha, so a transparent
/// pixel shows whatever colour it stores, usually black. That stays the default; with a background colour
/// (data.image.background) transparent and translucent pixels are blended over it instead.
/// </summary>
public static class Transparency
{
    /// <summary>"white", "black", "gray", "#RRGGBB" or "RRGGBB"; null when the text is none of these.</summary>
    public static Rgb24? ParseColour(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        string t = text.Trim().ToLowerInvariant();
        switch (t)
        {
            case "white": return new Rgb24(255, 255, 255);
            case "black": return new Rgb24(0, 0, 0);
            case "gray" or "grey": return new Rgb24(128, 128, 128);
        }
        t = t.TrimStart('#');
        if (t.Length == 6 && int.TryParse(t, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int rgb))
            return new Rgb24((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);
        return null;
    }

    /// <summary>Whether any pixel is not fully opaque.</summary>
    public static bool HasTransparentPixels(Image<Rgba32> image)
    {
        bool found = false;
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height && !found; y++)
                foreach (var p in rows.GetRowSpan(y))
                    if (p.A < 255) { found = true; break; }
        });
        return found;
    }

    /// <summary>The RGB image: each pixel blended over <paramref name="background"/> by its alpha, or, without one,
    /// its stored colour with the alpha dropped (as PIL's convert("RGB")).</summary>
    public static Image<Rgb24> Flatten(Image<Rgba32> image, Rgb24? background)
    {
        if (background is { } bg)
            image.ProcessPixelRows(rows =>
            {
                for (int y = 0; y < rows.Height; y++)
                    foreach (ref var p in rows.GetRowSpan(y))
                    {
                        int a = p.A;
                        p = new Rgba32((byte)((p.R * a + bg.R * (255 - a) + 127) / 255), (byte)((p.G * a + bg.G * (255 - a) + 127) / 255),
                            (byte)((p.B * a + bg.B * (255 - a) + 127) / 255), 255);
                    }
            });
        return image.CloneAs<Rgb24>();
    }
}
