using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Vicreg.Data;

/// <summary>
/// Crop + bicubic resize with Pillow 9.4's exact arithmetic (libImaging/Resample.c), which is what
/// torchvision's RandomResizedCrop does on a PIL image: antialiased bicubic (a = −0.5, support scaled
/// by the downscale factor), coefficients in 22-bit fixed point, a horizontal pass then a vertical
/// pass, each rounded and clipped to 8 bits. Pixels are interleaved RGB bytes (HWC).
/// </summary>
public static class PilResample
{
    private const int PrecisionBits = 32 - 8 - 2;
    private const int Half = 1 << (PrecisionBits - 1);

    /// <summary>
    /// Resamples <paramref name="box"/> of <paramref name="src"/> (interleaved RGB, <paramref name="srcWidth"/>
    /// pixels per row) to <paramref name="outWidth"/>×<paramref name="outHeight"/> into <paramref name="dst"/>.
    /// Equals PIL <c>img.crop(box).resize((outWidth, outHeight), BICUBIC)</c> bit for bit.
    /// </summary>
    public static void ResizedCrop(ReadOnlySpan<byte> src, int srcWidth, int srcHeight, CropBox box,
        int outWidth, int outHeight, Span<byte> dst, ResampleScratch? scratch = null)
    {
        if (box.Width < 1 || box.Height < 1 || box.X < 0 || box.Y < 0 ||
            box.X + box.Width > srcWidth || box.Y + box.Height > srcHeight)
            throw new ArgumentOutOfRangeException(nameof(box), $"Crop {box} is outside the {srcWidth}×{srcHeight} image.");
        ArgumentOutOfRangeException.ThrowIfLessThan(outWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outHeight, 1);
        if (src.Length < 3L * srcWidth * srcHeight) throw new ArgumentException("Source buffer is smaller than width×height×3.", nameof(src));
        if (dst.Length < 3 * outWidth * outHeight) throw new ArgumentException("Destination buffer is smaller than width×height×3.", nameof(dst));
        scratch ??= new ResampleScratch();

        int kh = Coefficients(box.Width, outWidth, ref scratch.BoundsH, ref scratch.CoeffH);
        int kv = Coefficients(box.Height, outHeight, ref scratch.BoundsV, ref scratch.CoeffV);
        int[] bh = scratch.BoundsH, ch = scratch.CoeffH, bv = scratch.BoundsV, cv = scratch.CoeffV;

        // Rows of the crop the vertical pass reads: [first, last).
        int first = bv[0], last = bv[2 * outHeight - 2] + bv[2 * outHeight - 1];
        int rows = last - first, w3 = 3 * outWidth;
        var tmp = scratch.Rows(rows * w3);

        // Horizontal pass: rows [first, last) of the crop, each to outWidth pixels.
        if (Sse41.IsSupported && box.X + box.Width < srcWidth)
            HorizontalSse41(src, srcWidth, box, first, rows, outWidth, kh, bh, ch, tmp);
        else if (Sse41.IsSupported && rows > 1)
        {
            // The 4-byte loads of the SIMD path read one byte past a row's last pixel: fine inside the
            // image, except on its very last pixel, so the final row goes the scalar way.
            HorizontalSse41(src, srcWidth, box, first, rows - 1, outWidth, kh, bh, ch, tmp);
            HorizontalScalar(src, srcWidth, box, first + rows - 1, 1, outWidth, kh, bh, ch, tmp.AsSpan((rows - 1) * w3));
        }
        else
            HorizontalScalar(src, srcWidth, box, first, rows, outWidth, kh, bh, ch, tmp);

        // Vertical pass over whole rows (contiguous, SIMD).
        var acc = scratch.Accumulator(w3);
        for (int yy = 0; yy < outHeight; yy++)
        {
            int ymin = bv[2 * yy] - first, ymax = bv[2 * yy + 1];
            acc.AsSpan().Fill(Half);
            for (int y = 0; y < ymax; y++)
                AddScaled(acc, tmp.AsSpan((ymin + y) * w3, w3), cv[yy * kv + y]);
            var d = dst.Slice(yy * w3, w3);
            for (int i = 0; i < w3; i++) d[i] = (byte)Clip8(acc[i]);
        }
    }

    private static void HorizontalScalar(ReadOnlySpan<byte> src, int srcWidth, CropBox box, int first, int rows, int outWidth,
        int kh, int[] bh, int[] ch, Span<int> tmp)
    {
        int w3 = 3 * outWidth;
        for (int y = 0; y < rows; y++)
        {
            var row = src.Slice(((box.Y + first + y) * srcWidth + box.X) * 3, box.Width * 3);
            var o = tmp.Slice(y * w3, w3);
            for (int xx = 0; xx < outWidth; xx++)
            {
                int xmin = bh[2 * xx], xmax = bh[2 * xx + 1];
                var k = ch.AsSpan(xx * kh, xmax);
                var p = row.Slice(xmin * 3, xmax * 3);
                int r = Half, g = Half, b = Half;
                for (int x = 0, i = 0; x < k.Length; x++, i += 3)
                {
                    int kx = k[x];
                    r += p[i] * kx;
                    g += p[i + 1] * kx;
                    b += p[i + 2] * kx;
                }
                o[3 * xx] = Clip8(r);
                o[3 * xx + 1] = Clip8(g);
                o[3 * xx + 2] = Clip8(b);
            }
        }
    }

    /// <summary>The same sums with the three channels of a pixel in one SSE4.1 vector (pmovzxbd load,
    /// pmulld, paddd): integer arithmetic, so the result is identical to the scalar path.</summary>
    private static unsafe void HorizontalSse41(ReadOnlySpan<byte> src, int srcWidth, CropBox box, int first, int rows, int outWidth,
        int kh, int[] bh, int[] ch, Span<int> tmp)
    {
        int w3 = 3 * outWidth;
        var half = Vector128.Create(Half, Half, Half, 0);
        var zero = Vector128<int>.Zero;
        var max = Vector128.Create(255);
        fixed (byte* s0 = src)
        fixed (int* k0 = ch, b0 = bh)
        fixed (int* t0 = tmp)
        {
            for (int y = 0; y < rows; y++)
            {
                byte* row = s0 + ((long)(box.Y + first + y) * srcWidth + box.X) * 3;
                int* o = t0 + (long)y * w3;
                for (int xx = 0; xx < outWidth; xx++)
                {
                    int xmin = b0[2 * xx], xmax = b0[2 * xx + 1];
                    int* k = k0 + xx * kh;
                    byte* p = row + xmin * 3;
                    var acc = half;
                    for (int x = 0; x < xmax; x++, p += 3)
                        acc = Sse2.Add(acc, Sse41.MultiplyLow(Sse41.ConvertToVector128Int32(p), Vector128.Create(k[x])));
                    acc = Sse41.Min(Sse41.Max(Sse2.ShiftRightArithmetic(acc, PrecisionBits), zero), max);
                    o[3 * xx] = acc.GetElement(0);
                    o[3 * xx + 1] = acc.GetElement(1);
                    o[3 * xx + 2] = acc.GetElement(2);
                }
            }
        }
    }

    /// <summary>Pillow's precompute_coeffs + normalize_coeffs_8bpc for a crop of <paramref name="inSize"/>
    /// pixels resampled to <paramref name="outSize"/>. Returns the kernel size (row stride of the coefficients).</summary>
    internal static int Coefficients(int inSize, int outSize, ref int[] bounds, ref int[] coeffs)
    {
        double scale = (double)inSize / outSize;
        double filterscale = scale < 1.0 ? 1.0 : scale;
        double support = 2.0 * filterscale; // bicubic support 2
        int ksize = (int)Math.Ceiling(support) * 2 + 1;
        if (bounds.Length < 2 * outSize) bounds = new int[2 * outSize];
        if (coeffs.Length < outSize * ksize) coeffs = new int[outSize * ksize];
        Span<double> k = ksize <= 256 ? stackalloc double[ksize] : new double[ksize];
        double ss = 1.0 / filterscale;
        for (int xx = 0; xx < outSize; xx++)
        {
            double center = (xx + 0.5) * scale;
            double ww = 0.0;
            int xmin = (int)(center - support + 0.5);
            if (xmin < 0) xmin = 0;
            int xmax = (int)(center + support + 0.5);
            if (xmax > inSize) xmax = inSize;
            xmax -= xmin;
            for (int x = 0; x < xmax; x++)
            {
                double w = Bicubic((x + xmin - center + 0.5) * ss);
                k[x] = w;
                ww += w;
            }
            for (int x = 0; x < xmax; x++)
                if (ww != 0.0) k[x] /= ww;
            for (int x = 0; x < ksize; x++)
            {
                double v = x < xmax ? k[x] : 0.0;
                coeffs[xx * ksize + x] = v < 0 ? (int)(-0.5 + v * (1 << PrecisionBits)) : (int)(0.5 + v * (1 << PrecisionBits));
            }
            bounds[2 * xx] = xmin;
            bounds[2 * xx + 1] = xmax;
        }
        return ksize;
    }

    /// <summary>Pillow's bicubic_filter (a = −0.5), same operation order.</summary>
    private static double Bicubic(double x)
    {
        const double a = -0.5;
        if (x < 0.0) x = -x;
        if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
        return 0.0;
    }

    private static int Clip8(int v)
    {
        v >>= PrecisionBits;
        return v < 0 ? 0 : v > 255 ? 255 : v;
    }

    private static void AddScaled(int[] acc, ReadOnlySpan<int> x, int w)
    {
        int i = 0, n = acc.Length, vs = Vector<int>.Count;
        var wv = new Vector<int>(w);
        var a = acc.AsSpan();
        for (; i <= n - vs; i += vs)
            (new Vector<int>(a.Slice(i)) + wv * new Vector<int>(x.Slice(i))).CopyTo(a.Slice(i));
        for (; i < n; i++) a[i] += w * x[i];
    }
}

/// <summary>Reusable buffers for <see cref="PilResample"/> (one per thread; not thread-safe).</summary>
public sealed class ResampleScratch
{
    internal int[] BoundsH = [], CoeffH = [], BoundsV = [], CoeffV = [];
    private int[] _rows = [], _acc = [];

    internal int[] Rows(int n)
    {
        if (_rows.Length < n) _rows = new int[n];
        return _rows;
    }

    internal int[] Accumulator(int n)
    {
        if (_acc.Length != n) _acc = new int[n];
        return _acc;
    }

    /// <summary>Bytes currently held.</summary>
    public long Bytes => 4L * (BoundsH.Length + CoeffH.Length + BoundsV.Length + CoeffV.Length + _rows.Length + _acc.Length);
}
