using System.Buffers;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Vicreg.Data.Views;

namespace Vicreg.Data.Jpeg;

/// <summary>
/// A JPEG read but not yet decoded (data.decode fast): its bytes and its full size from the header. A view draws
/// its crop from the full size, then asks for pixels that hold that crop at the view's size or more; the file is
/// decoded once, at the smallest TurboJPEG scale that serves every view announced with <see cref="Need"/>, and again
/// at a larger one only if a later view needs more. Centred (evaluation) views get the exact decoder's full image.
/// </summary>
public sealed class DecodedJpeg : DecodedSample
{
    private readonly byte[] _file;
    private readonly int _length;
    private readonly Func<byte[], int, Image<Rgb24>> _exact;
    private readonly DecodeTally? _tally;
    private (int Num, int Denom) _wanted;
    private byte[]? _pixels;
    private (int Num, int Denom) _decodedAt;
    private Image<Rgb24>? _full;

    /// <param name="file">The file's bytes (rented from the shared pool: returned on dispose).</param>
    /// <param name="exact">The exact decoder, for centred views.</param>
    /// <param name="tally">Counts the TurboJPEG decodes by scale; may be null.</param>
    public DecodedJpeg(byte[] file, int length, int width, int height, Func<byte[], int, Image<Rgb24>> exact, DecodeTally? tally = null)
    {
        _tally = tally;
        _file = file;
        _length = length;
        _exact = exact;
        Width = width;
        Height = height;
        _wanted = TurboJpeg.Scales[0];
    }

    /// <summary>Full size, from the header.</summary>
    public int Width { get; }
    public int Height { get; }

    public override long Bytes => _length + (_pixels?.Length ?? 0) + (_full is null ? 0 : 3L * Width * Height);

    /// <summary>The smallest scale whose decode holds <paramref name="crop"/> at <paramref name="size"/>² pixels or
    /// more (full size when the crop is smaller than the view: it is enlarged either way).</summary>
    public (int Num, int Denom) ScaleFor(CropBox crop, int size)
    {
        foreach (var s in TurboJpeg.Scales)
            if ((long)crop.Width * s.Num >= (long)size * s.Denom && (long)crop.Height * s.Num >= (long)size * s.Denom)
                return s;
        return TurboJpeg.Scales[^1];
    }

    /// <summary>Announces a view that will read <paramref name="crop"/> at <paramref name="size"/>.</summary>
    public void Need(CropBox crop, int size)
    {
        var s = ScaleFor(crop, size);
        if (Larger(s, _wanted)) _wanted = s;
    }

    /// <summary>Pixels that hold <paramref name="crop"/> at <paramref name="size"/> or more, and the crop mapped into them.</summary>
    public (byte[] Pixels, int Width, int Height, CropBox Crop) PixelsFor(CropBox crop, int size)
    {
        if (_turboFailed) return ExactPixels(crop);
        Need(crop, size);
        if (_pixels is null || Larger(_wanted, _decodedAt))
        {
            int w = TurboJpeg.Scaled(Width, _wanted), h = TurboJpeg.Scaled(Height, _wanted);
            if (_pixels is not null) ArrayPool<byte>.Shared.Return(_pixels);
            _pixels = null;
            var pixels = ArrayPool<byte>.Shared.Rent(3 * w * h);
            _pixels = pixels;
            try
            {
                TurboJpeg.Decode(_file.AsSpan(0, _length), Width, Height, _wanted, pixels);
            }
            catch (InvalidDataException)
            {
                // A stream TurboJPEG refuses past its header (CMYK, damage): the exact decoder has the last word.
                _turboFailed = true;
                return ExactPixels(crop);
            }
            _decodedAt = _wanted;
            _tally?.CountTurbo(_wanted);
        }
        int sw = TurboJpeg.Scaled(Width, _decodedAt), sh = TurboJpeg.Scaled(Height, _decodedAt);
        return (_pixels, sw, sh, Map(crop, Width, Height, sw, sh));
    }

    /// <summary>The crop in a <paramref name="sw"/>×<paramref name="sh"/> decode of a <paramref name="w"/>×<paramref name="h"/> image: corners scaled and rounded, at least one pixel.</summary>
    public static CropBox Map(CropBox c, int w, int h, int sw, int sh)
    {
        if (sw == w && sh == h) return c;
        int x0 = (int)Math.Round((double)c.X * sw / w), y0 = (int)Math.Round((double)c.Y * sh / h);
        int x1 = (int)Math.Round((double)(c.X + c.Width) * sw / w), y1 = (int)Math.Round((double)(c.Y + c.Height) * sh / h);
        x0 = Math.Min(x0, sw - 1);
        y0 = Math.Min(y0, sh - 1);
        return new CropBox(x0, y0, Math.Clamp(x1 - x0, 1, sw - x0), Math.Clamp(y1 - y0, 1, sh - y0));
    }

    private bool _turboFailed;

    private (byte[], int, int, CropBox) ExactPixels(CropBox crop)
    {
        var image = FullImage();
        var pixels = new byte[3 * Width * Height];
        image.CopyPixelDataTo(pixels);
        return (pixels, Width, Height, crop);
    }

    /// <summary>The whole image from the exact decoder (centred views), decoded on first use.</summary>
    public Image<Rgb24> FullImage() => _full ??= _exact(_file, _length);

    private static bool Larger((int Num, int Denom) a, (int Num, int Denom) b) => (long)a.Num * b.Denom > (long)b.Num * a.Denom;

    private bool _disposed;

    public override void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _full?.Dispose();
        if (_pixels is not null) ArrayPool<byte>.Shared.Return(_pixels);
        ArrayPool<byte>.Shared.Return(_file);
    }
}
