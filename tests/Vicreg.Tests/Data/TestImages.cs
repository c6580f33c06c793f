using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Vicreg.Tests.Data;

/// <summary>Small in-memory images for augmentation tests.</summary>
internal static class TestImages
{
    public static Image<Rgb24> Uniform(int w, int h, byte r, byte g, byte b) => new(w, h, new Rgb24(r, g, b));

    /// <summary>Random pixels, reproducible from <paramref name="seed"/>.</summary>
    public static Image<Rgb24> Noise(int w, int h, int seed)
    {
        var rng = new Random(seed);
        var bytes = new byte[w * h * 3];
        rng.NextBytes(bytes);
        return Image.LoadPixelData<Rgb24>(bytes, w, h);
    }

    /// <summary>Left half black, right half white.</summary>
    public static Image<Rgb24> LeftDarkRightBright(int size)
    {
        var img = new Image<Rgb24>(size, size);
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                img[x, y] = x < size / 2 ? new Rgb24(0, 0, 0) : new Rgb24(255, 255, 255);
        return img;
    }
}
