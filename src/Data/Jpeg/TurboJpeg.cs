using System.Runtime.InteropServices;

namespace Vicreg.Data.Jpeg;

/// <summary>
/// libjpeg-turbo's TurboJPEG API (libturbojpeg.so.0; Debian: libturbojpeg0), for JPEG decoding at a reduced DCT
/// scale (M/8). Loaded once per process; <see cref="Available"/> says whether it was found. TurboJPEG handles are
/// not thread-safe, so each call takes one from a pool and puts it back (loader threads come and go every epoch).
/// </summary>
public static unsafe class TurboJpeg
{
    private const string Library = "libturbojpeg.so.0";
    private const int PixelFormatRgb = 0; // TJPF_RGB

    private static readonly Lazy<(int Num, int Denom)[]?> Loaded = new(Probe);

    private static readonly System.Collections.Concurrent.ConcurrentBag<IntPtr> Handles = new();

    /// <summary>True when libturbojpeg could be loaded.</summary>
    public static bool Available => Loaded.Value is not null;

    /// <summary>The scales fast decoding uses (num/denom ≤ 1, among those TurboJPEG offers, the cheap ones: 1/8, 1/4, 1/2,
    /// 1), smallest first.</summary>
    public static IReadOnlyList<(int Num, int Denom)> Scales => Loaded.Value ?? Array.Empty<(int, int)>();

    /// <summary>Side of a <paramref name="dim"/>-pixel side decoded at num/denom (TJSCALED).</summary>
    public static int Scaled(int dim, (int Num, int Denom) s) => (dim * s.Num + s.Denom - 1) / s.Denom;

    /// <summary>Width and height from the header; null when the bytes are not a JPEG TurboJPEG reads.</summary>
    public static (int Width, int Height)? Header(ReadOnlySpan<byte> jpeg)
    {
        if (!Available) return null;
        var handle = Take();
        int status = -1, w, h;
        try
        {
            fixed (byte* p = jpeg)
                status = tjDecompressHeader3(handle, p, (nuint)jpeg.Length, out w, out h, out _, out _);
            return status == 0 ? (w, h) : null;
        }
        finally
        {
            Return(handle, status);
        }
    }

    /// <summary>Decodes at scale <paramref name="scale"/> into interleaved RGB (<paramref name="dest"/> holds
    /// 3·w·h bytes of the scaled size). Throws with TurboJPEG's message on a damaged stream.</summary>
    public static void Decode(ReadOnlySpan<byte> jpeg, int width, int height, (int Num, int Denom) scale, Span<byte> dest)
    {
        int w = Scaled(width, scale), h = Scaled(height, scale);
        if (dest.Length < 3L * w * h) throw new ArgumentException("destination is smaller than the scaled image", nameof(dest));
        var handle = Take();
        int status = -1;
        try
        {
            fixed (byte* src = jpeg)
            fixed (byte* dst = dest)
            {
                status = tjDecompress2(handle, src, (nuint)jpeg.Length, dst, w, 3 * w, h, PixelFormatRgb, 0);
                if (status != 0 && tjGetErrorCode(handle) != 0) // TJERR_WARNING (0): a recoverable problem; the pixels are there
                    throw new InvalidDataException(Marshal.PtrToStringAnsi(tjGetErrorStr2(handle)) ?? "TurboJPEG could not decode the file");
            }
        }
        finally
        {
            Return(handle, status);
        }
    }

    /// <summary>Puts a handle back in the pool after a call that succeeded; after one that failed, destroys it: TurboJPEG
    /// leaves a decompressor that stopped on an error mid-header in that state, and its next header read then reports a
    /// width of 0 (seen on a JPEG cut inside its Huffman tables, followed by a good file).</summary>
    private static void Return(IntPtr handle, int status)
    {
        if (status == 0) Handles.Add(handle);
        else tjDestroy(handle);
    }

    private static IntPtr Take()
    {
        if (Handles.TryTake(out var handle)) return handle;
        handle = tjInitDecompress();
        return handle != IntPtr.Zero ? handle : throw new InvalidOperationException("TurboJPEG could not create a decompressor");
    }

    /// <summary>Whether decoding at num/denom costs less than a full decode: 1/8, 1/4, 1/2 and 1, whose inverse DCTs
    /// libjpeg-turbo runs in SIMD (or, at 1/8, keeps only the DC term). The other M/8 scales use plain C inverse DCTs
    /// of odd sizes and cost more than a full decode (measured on a 500×375 photo-like JPEG, x86-64 with AVX2:
    /// 7/8 1.6×, 3/4 1.4×, 5/8 1.0×), so they are never chosen.</summary>
    private static bool Cheap(int num, int denom) => num * 8 % denom == 0 && (num * 8 / denom) is 1 or 2 or 4 or 8;

    private static (int, int)[]? Probe()
    {
        if (!NativeLibrary.TryLoad(Library, typeof(TurboJpeg).Assembly, null, out _)) return null;
        try
        {
            var factors = (int*)tjGetScalingFactors(out int n);
            if (factors is null || n <= 0) return null;
            var scales = new List<(int, int)>();
            for (int i = 0; i < n; i++)
                if (factors[2 * i] <= factors[2 * i + 1] && Cheap(factors[2 * i], factors[2 * i + 1])) scales.Add((factors[2 * i], factors[2 * i + 1]));
            return scales.OrderBy(s => (double)s.Item1 / s.Item2).ToArray();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [DllImport(Library)] private static extern IntPtr tjInitDecompress();
    [DllImport(Library)] private static extern int tjDestroy(IntPtr handle);
    [DllImport(Library)] private static extern int tjDecompressHeader3(IntPtr handle, byte* jpegBuf, nuint jpegSize, out int width, out int height, out int subsamp, out int colorspace);
    [DllImport(Library)] private static extern IntPtr tjGetScalingFactors(out int count);
    [DllImport(Library)] private static extern int tjDecompress2(IntPtr handle, byte* jpegBuf, nuint jpegSize, byte* dstBuf, int width, int pitch, int height, int pixelFormat, int flags);
    [DllImport(Library)] private static extern IntPtr tjGetErrorStr2(IntPtr handle);
    [DllImport(Library)] private static extern int tjGetErrorCode(IntPtr handle);
}
