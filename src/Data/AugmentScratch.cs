using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Vicreg.Data;

/// <summary>
/// Per-thread buffers of the augmentation hot path, so a view allocates nothing once a thread has
/// warmed up. Buffers only grow (to the largest crop/view seen on that thread).
/// </summary>
internal sealed class AugmentScratch
{
    [ThreadStatic] private static AugmentScratch? _current;

    public static AugmentScratch ForThread() => _current ??= new AugmentScratch();

    public readonly ResampleScratch Resample = new();
    public readonly BlurScratch Blur = new();
    private byte[] _view = [];
    private byte[] _copy = [];

    /// <summary>The Size×Size×3 working view.</summary>
    public Span<byte> View(int size)
    {
        int n = 3 * size * size;
        if (_view.Length < n) _view = new byte[n];
        return _view.AsSpan(0, n);
    }

    /// <summary>The image's pixels as interleaved RGB bytes: its own memory when ImageSharp keeps it in
    /// one block (the loader asks for that), otherwise a copy.</summary>
    public ReadOnlySpan<byte> Pixels(Image<Rgb24> image)
    {
        if (image.DangerousTryGetSinglePixelMemory(out Memory<Rgb24> memory))
            return MemoryMarshal.AsBytes(memory.Span);
        int w = image.Width, h = image.Height, n = 3 * w * h;
        if (_copy.Length < n) _copy = new byte[n];
        var copy = _copy;
        image.ProcessPixelRows(acc =>
        {
            for (int y = 0; y < h; y++)
                MemoryMarshal.AsBytes(acc.GetRowSpan(y)).CopyTo(copy.AsSpan(y * w * 3));
        });
        return _copy.AsSpan(0, n);
    }

    /// <summary>Bytes currently held by this thread's buffers.</summary>
    public long Bytes => _view.Length + _copy.Length + Resample.Bytes + Blur.Bytes;
}
