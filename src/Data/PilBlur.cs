using System.Numerics;

namespace Vicreg.Data;

/// <summary>
/// PIL's ImageFilter.GaussianBlur(σ), which the official augmentation calls: not a sampled Gaussian
/// but three passes of an extended box blur per direction (Gwosdek et al. 2011) in Pillow 9.4's
/// fixed-point arithmetic (libImaging/BoxBlur.c), horizontal passes first, each rounded to 8 bits.
/// Bit-exact with Pillow. Cost is independent of σ. The passes run along whole rows/columns at once
/// (SIMD over the lanes) on a transposed copy for the horizontal direction.
/// </summary>
public static class PilBlur
{
    private const int Passes = 3;

    /// <summary>Pillow's _gaussian_blur_radius: the extended-box radius for σ over <paramref name="passes"/> passes (float arithmetic as in C).</summary>
    public static float BoxRadius(float sigma, int passes = Passes)
    {
        float sigma2 = sigma * sigma / passes;
        float L = (float)Math.Sqrt(12.0 * sigma2 + 1.0);
        float l = (float)Math.Floor((L - 1.0) / 2.0);
        float a = (2 * l + 1) * (l * (l + 1) - 3 * sigma2);
        a /= 6 * (sigma2 - (l + 1) * (l + 1));
        return l + a;
    }

    /// <summary>One pass's whole radius and its 24-bit fixed-point weights: ww for the 2r+1 inner pixels, fw for the
    /// two pixels just outside (the fractional part of the radius), as Pillow computes them.</summary>
    public static (int Radius, uint Inner, uint Edge) BoxWeights(float sigma)
    {
        float radius = BoxRadius(sigma);
        int r = (int)radius;
        uint ww = (uint)(16777216f / (radius * 2 + 1));
        uint fw = (uint)((16777216u - (uint)(r * 2 + 1) * ww) / 2);
        return (r, ww, fw);
    }

    /// <summary>Blurs interleaved RGB bytes in place, like PIL <c>img.filter(ImageFilter.GaussianBlur(sigma))</c>.</summary>
    public static void GaussianBlur(Span<byte> rgb, int width, int height, float sigma, BlurScratch? scratch = null)
    {
        if (rgb.Length < 3 * width * height) throw new ArgumentException("Buffer is smaller than width×height×3.", nameof(rgb));
        scratch ??= new BlurScratch();
        var (r, ww, fw) = BoxWeights(sigma);
        int n = width * height * 3;
        var (a, b) = scratch.Buffers(n);
        var acc = scratch.Accumulator(Math.Max(width, height) * 3);

        // Transposed copy: a[(x*h + y)*3 + c] — a pass along the outer axis blurs horizontally.
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int s = (y * width + x) * 3, d = (x * height + y) * 3;
                a[d] = rgb[s];
                a[d + 1] = rgb[s + 1];
                a[d + 2] = rgb[s + 2];
            }
        int lanesT = height * 3;
        BoxPass(a, b, width, lanesT, r, ww, fw, acc);
        BoxPass(b, a, width, lanesT, r, ww, fw, acc);
        BoxPass(a, b, width, lanesT, r, ww, fw, acc);
        // Back to row-major in a, then vertical passes along the rows.
        for (int x = 0; x < width; x++)
            for (int y = 0; y < height; y++)
            {
                int s = (x * height + y) * 3, d = (y * width + x) * 3;
                a[d] = b[s];
                a[d + 1] = b[s + 1];
                a[d + 2] = b[s + 2];
            }
        int lanes = width * 3;
        BoxPass(a, b, height, lanes, r, ww, fw, acc);
        BoxPass(b, a, height, lanes, r, ww, fw, acc);
        BoxPass(a, b, height, lanes, r, ww, fw, acc);
        for (int i = 0; i < n; i++) rgb[i] = (byte)b[i];
    }

    /// <summary>
    /// One box pass (Pillow's ImagingLineBoxBlur) along an axis of length <paramref name="n"/> for
    /// <paramref name="lanes"/> independent contiguous lanes: element (x, lane) at x·lanes + lane.
    /// UINT32 arithmetic with wrap-around, as in C.
    /// </summary>
    private static void BoxPass(uint[] src, uint[] dst, int n, int lanes, int radius, uint ww, uint fw, uint[] accArr)
    {
        var acc = accArr.AsSpan(0, lanes);
        int last = n - 1;
        int edgeA = Math.Min(radius + 1, n), edgeB = Math.Max(n - radius - 1, 0);
        // acc = in[0]·(radius+1) + Σ_{x < edgeA−1} in[x] + in[last]·(radius − edgeA + 1)
        var first = Line(src, 0, lanes);
        var lastLine = Line(src, last, lanes);
        uint m0 = (uint)(radius + 1), m1 = (uint)(radius - edgeA + 1);
        for (int l = 0; l < lanes; l++) acc[l] = first[l] * m0 + lastLine[l] * m1;
        for (int x = 0; x < edgeA - 1; x++) AddLine(acc, Line(src, x, lanes));

        if (edgeA <= edgeB)
        {
            for (int x = 0; x < edgeA; x++) Step(src, dst, acc, lanes, 0, x + radius, 0, x + radius + 1, x, ww, fw);
            for (int x = edgeA; x < edgeB; x++) Step(src, dst, acc, lanes, x - radius - 1, x + radius, x - radius - 1, x + radius + 1, x, ww, fw);
            for (int x = edgeB; x <= last; x++) Step(src, dst, acc, lanes, x - radius - 1, last, x - radius - 1, last, x, ww, fw);
        }
        else
        {
            for (int x = 0; x < edgeB; x++) Step(src, dst, acc, lanes, 0, x + radius, 0, x + radius + 1, x, ww, fw);
            for (int x = edgeB; x < edgeA; x++) Step(src, dst, acc, lanes, 0, last, 0, last, x, ww, fw);
            for (int x = edgeA; x <= last; x++) Step(src, dst, acc, lanes, x - radius - 1, last, x - radius - 1, last, x, ww, fw);
        }
    }

    private static ReadOnlySpan<uint> Line(uint[] a, int x, int lanes) => a.AsSpan(x * lanes, lanes);

    private static void AddLine(Span<uint> acc, ReadOnlySpan<uint> line)
    {
        for (int l = 0; l < acc.Length; l++) acc[l] += line[l];
    }

    /// <summary>MOVE_ACC(subtract, add); ADD_FAR(left, right); SAVE(x) for every lane.</summary>
    private static void Step(uint[] src, uint[] dst, Span<uint> acc, int lanes, int sub, int add, int left, int right, int x,
        uint ww, uint fw)
    {
        var s = Line(src, sub, lanes);
        var ad = Line(src, add, lanes);
        var lf = Line(src, left, lanes);
        var rt = Line(src, right, lanes);
        var o = dst.AsSpan(x * lanes, lanes);
        int i = 0, vs = Vector<uint>.Count;
        var wwv = new Vector<uint>(ww);
        var fwv = new Vector<uint>(fw);
        var half = new Vector<uint>(1u << 23);
        for (; i <= lanes - vs; i += vs)
        {
            var a = new Vector<uint>(acc.Slice(i)) + new Vector<uint>(ad.Slice(i)) - new Vector<uint>(s.Slice(i));
            a.CopyTo(acc.Slice(i));
            var bulk = a * wwv + (new Vector<uint>(lf.Slice(i)) + new Vector<uint>(rt.Slice(i))) * fwv;
            Vector.ShiftRightLogical(bulk + half, 24).CopyTo(o.Slice(i));
        }
        for (; i < lanes; i++)
        {
            unchecked
            {
                acc[i] = acc[i] + ad[i] - s[i];
                uint bulk = acc[i] * ww + (lf[i] + rt[i]) * fw;
                o[i] = (bulk + (1u << 23)) >> 24;
            }
        }
    }
}

/// <summary>Reusable buffers for <see cref="PilBlur"/> (one per thread; not thread-safe).</summary>
public sealed class BlurScratch
{
    private uint[] _a = [], _b = [], _acc = [];

    internal (uint[] A, uint[] B) Buffers(int n)
    {
        if (_a.Length < n) { _a = new uint[n]; _b = new uint[n]; }
        return (_a, _b);
    }

    internal uint[] Accumulator(int n)
    {
        if (_acc.Length < n) _acc = new uint[n];
        return _acc;
    }

    /// <summary>Bytes currently held.</summary>
    public long Bytes => 4L * (_a.Length + _b.Length + _acc.Length);
}
