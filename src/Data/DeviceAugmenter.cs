using TorchSharp;
using static TorchSharp.torch;
using Vicreg.Core;

namespace Vicreg.Data;

/// <summary>
/// Finishes a batch of views on the training device (data.augment_on device): from the host part (crop and resize,
/// [B, S, S, 3] bytes) through flip, colour jitter in each row's drawn order with its drawn factors, grayscale,
/// Gaussian blur with the drawn σ, solarize and normalisation, as batched tensor operations. Each step repeats
/// Pillow 9.4's 8-bit arithmetic (<see cref="PilColor"/>, <see cref="PilBlur"/>) on integer tensors, with float32
/// where Pillow uses float and float64 where it uses double, so that on the CPU the views equal the host's bit
/// for bit. Rows are grouped by what they drew on the host, so no step waits for the device.
/// </summary>
public static class DeviceAugmenter
{
    private const long Half24 = 1L << 23;

    /// <summary>The finished views, [B, Channels, S, S] float32 on <paramref name="hostPart"/>'s device.</summary>
    public static Tensor Finish(Tensor hostPart, DeviceViewStage stage)
    {
        using var scope = NewDisposeScope();
        var x = Steps(hostPart, stage);
        var v = stage.View;
        var mean = tensor(v.Mean, device: x.device).view(1, 3, 1, 1);
        var std = tensor(v.Std, device: x.device).view(1, 3, 1, 1);
        var y = x.to(ScalarType.Float32).div(Scalars.Float(255f)).sub(mean).div(std);
        if (stage.Channels == 1)
            y = y[.., 0..1].mul(Scalars.Float(0.299f)).add(y[.., 1..2].mul(Scalars.Float(0.587f)), Scalars.One)
                .add(y[.., 2..3].mul(Scalars.Float(0.114f)), Scalars.One);
        return y.contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>The 8-bit steps (flip to solarize) as drawn, before normalisation: [B, 3, H, W] int32 levels 0..255.
    /// The host part may be any H×W (the fidelity tests use Pillow's fixture images).</summary>
    public static Tensor Steps(Tensor hostPart, DeviceViewStage stage)
    {
        ArgumentNullException.ThrowIfNull(hostPart);
        ArgumentNullException.ThrowIfNull(stage);
        var d = stage.Drawn;
        var v = stage.View;
        if (hostPart.shape.Length != 4 || hostPart.shape[0] != d.Length || hostPart.shape[3] != 3)
            throw new ArgumentException($"the host part must be [{d.Length}, S, S, 3] bytes; got [{string.Join(", ", hostPart.shape)}]");
        using var scope = NewDisposeScope();
        var x = hostPart.permute(0, 3, 1, 2).to(ScalarType.Int32); // [B, 3, S, S], 0..255
        x = Rows(x, Where(d, r => r.Flip), (sub, _) => sub.flip(3));
        for (int k = 0; k < 4; k++)
        {
            int position = k;
            x = Rows(x, Where(d, r => r.Jitter is { } j && Step(j, position) == 0 && v.Brightness > 0),
                (sub, idx) => Blend(zeros_like(sub), sub, Factors(idx, i => d[i].Jitter!.Value.Brightness, sub.device)));
            x = Rows(x, Where(d, r => r.Jitter is { } j && Step(j, position) == 1 && v.Contrast > 0),
                (sub, idx) => Blend(MeanLuma(sub), sub, Factors(idx, i => d[i].Jitter!.Value.Contrast, sub.device)));
            x = Rows(x, Where(d, r => r.Jitter is { } j && Step(j, position) == 2 && v.Saturation > 0),
                (sub, idx) => Blend(Luma(sub), sub, Factors(idx, i => d[i].Jitter!.Value.Saturation, sub.device)));
            x = Rows(x, Where(d, r => r.Jitter is { } j && Step(j, position) == 3 && v.Hue > 0),
                (sub, idx) => Hue(sub, idx.Select(i => (int)unchecked((byte)(int)(d[i].Jitter!.Value.Hue * 255.0))).ToArray()));
        }
        x = Rows(x, Where(d, r => r.Grayscale), (sub, _) => Luma(sub).expand(-1, 3, -1, -1));
        foreach (var group in Enumerable.Range(0, d.Length).Where(i => d[i].BlurSigma is not null)
                     .Select(i => (Row: i, Weights: PilBlur.BoxWeights((float)d[i].BlurSigma!.Value))).GroupBy(b => b.Weights.Radius))
        {
            var rows = group.ToArray();
            x = Rows(x, rows.Select(r => r.Row).ToArray(), (sub, _) => Blur(sub, group.Key,
                tensor(rows.Select(r => (long)r.Weights.Inner).ToArray(), device: sub.device).view(-1, 1, 1, 1),
                tensor(rows.Select(r => (long)r.Weights.Edge).ToArray(), device: sub.device).view(-1, 1, 1, 1)));
        }
        x = Rows(x, Where(d, r => r.Solarize), (sub, _) => where(sub.ge(Scalars.Int64(128)),
            sub.neg().add(Scalars.Int64(255), Scalars.Int64(1)), sub));
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>Which of the jitter's four steps (0 b, 1 c, 2 s, 3 h) comes at <paramref name="position"/>.</summary>
    private static int Step(ColorJitterDraw j, int position) => position switch { 0 => j.First, 1 => j.Second, 2 => j.Third, _ => j.Fourth };

    private static int[] Where(DrawnImageView[] d, Func<DrawnImageView, bool> take) =>
        Enumerable.Range(0, d.Length).Where(i => take(d[i])).ToArray();

    private static Tensor Factors(int[] rows, Func<int, float> factor, Device device) =>
        tensor(rows.Select(factor).ToArray(), device: device).view(-1, 1, 1, 1);

    /// <summary><paramref name="step"/> applied to the rows <paramref name="rows"/> of <paramref name="x"/> (all of them
    /// without a gather when every row takes it).</summary>
    private static Tensor Rows(Tensor x, int[] rows, Func<Tensor, int[], Tensor> step)
    {
        if (rows.Length == 0) return x;
        if (rows.Length == x.shape[0]) return step(x, rows);
        var idx = tensor(rows.Select(r => (long)r).ToArray(), device: x.device);
        return x.index_copy(0, idx, step(x.index_select(0, idx), rows));
    }

    /// <summary>Pillow's ImagingBlend: in1 + α(in2 − in1) in float32, truncated, clipped to 0..255.</summary>
    private static Tensor Blend(Tensor in1, Tensor in2, Tensor alpha) =>
        (in2 - in1).to(ScalarType.Float32).mul(alpha).add(in1.to(ScalarType.Float32), Scalars.One)
            .clamp(Scalars.Float(0f), Scalars.Float(255f)).trunc().to(ScalarType.Int32);

    /// <summary>Pillow's RGB → L, [n, 1, S, S]: (19595 R + 38470 G + 7471 B + 2¹⁵) >> 16.</summary>
    private static Tensor Luma(Tensor x) =>
        x[.., 0..1].mul(Scalars.Int64(19595)).add(x[.., 1..2].mul(Scalars.Int64(38470)), Scalars.Int64(1))
            .add(x[.., 2..3].mul(Scalars.Int64(7471)), Scalars.Int64(1)).add(Scalars.Int64(0x8000), Scalars.Int64(1))
            .floor_divide(Scalars.Int64(65536));

    /// <summary>ImageEnhance.Contrast's grey: the luma's mean, rounded half up ((int)(mean + 0.5) in double).</summary>
    private static Tensor MeanLuma(Tensor x)
    {
        var l = Luma(x).to(ScalarType.Int64);
        long n = l.shape[2] * l.shape[3];
        var sum = l.sum(new long[] { 1, 2, 3 }, keepdim: true).to(ScalarType.Float64);
        using var count = ((double)n).ToScalar();
        return sum.div(count).add(Scalars.Float(0.5), Scalars.One).floor().to(ScalarType.Int32);
    }

    /// <summary>torchvision adjust_hue through Pillow's 8-bit HSV (<see cref="PilColor.Hue"/>), with its tables.</summary>
    private static Tensor Hue(Tensor x, int[] shifts)
    {
        var t = HueTensors.For(x.device);
        var r = x[.., 0].to(ScalarType.Int64);
        var g = x[.., 1].to(ScalarType.Int64);
        var b = x[.., 2].to(ScalarType.Int64);
        var maxc = maximum(r, maximum(g, b));
        var minc = minimum(r, minimum(g, b));
        var cr = maxc - minc;
        var code = r.ge(g).to(ScalarType.Int64).add(r.ge(b).to(ScalarType.Int64).mul(Scalars.Int64(2)), Scalars.Int64(1))
            .add(g.ge(b).to(ScalarType.Int64).mul(Scalars.Int64(4)), Scalars.Int64(1));
        var a = maxc - (r.add(g, Scalars.Int64(1)).add(b, Scalars.Int64(1)) - maxc - minc);
        var branch = t.BranchOf.take(code);
        var shift = tensor(shifts.Select(s => (long)s).ToArray(), device: x.device).view(-1, 1, 1);
        var h = t.Hue.take(branch.mul(Scalars.Int64(65536)).add(a.mul(Scalars.Int64(256)), Scalars.Int64(1)).add(cr, Scalars.Int64(1)))
            .add(shift, Scalars.Int64(1)).bitwise_and(255);
        var f = t.HueFraction.take(h);
        var fs = t.SatFraction.take(t.Saturation.take(cr.mul(Scalars.Int64(256)).add(maxc, Scalars.Int64(1))));
        var v = maxc.to(ScalarType.Float64);
        var p = RoundHalfUp(v * fs.to(ScalarType.Float64).neg().add(Scalars.Float(1.0), Scalars.One));
        var q = RoundHalfUp(v * (fs * f).to(ScalarType.Float64).neg().add(Scalars.Float(1.0), Scalars.One));
        var tt = RoundHalfUp(v * fs.to(ScalarType.Float64).mul(f.to(ScalarType.Float64).neg().add(Scalars.Float(1.0), Scalars.One))
            .neg().add(Scalars.Float(1.0), Scalars.One));
        var vals = stack(new[] { maxc, p, q, tt }, 1); // [n, 4, S, S]
        var sector = t.HueSector6.take(h).mul(Scalars.Int64(3));
        var rgb = Enumerable.Range(0, 3).Select(c =>
        {
            using var channel = c.ToScalar();
            return vals.gather(1, t.SectorPick.take(sector.add(channel, Scalars.Int64(1))).unsqueeze(1));
        }).ToArray();
        return cat(rgb, 1).to(ScalarType.Int32);
    }

    /// <summary>C's round() for x ≥ 0: the whole part, plus one when the fraction is at least one half.</summary>
    private static Tensor RoundHalfUp(Tensor x)
    {
        var whole = x.trunc();
        return whole.add((x - whole).ge(Scalars.Float(0.5)).to(ScalarType.Float64), Scalars.One).to(ScalarType.Int64);
    }

    /// <summary>Pillow's GaussianBlur: three extended-box passes along the width, then three along the height, each
    /// rounded to 8 bits (<see cref="PilBlur"/>), for rows that share the whole radius <paramref name="r"/>.</summary>
    private static Tensor Blur(Tensor x, int r, Tensor inner, Tensor edge)
    {
        var y = x.to(ScalarType.Int64);
        for (int i = 0; i < 3; i++) y = BoxPass(y, 3, r, inner, edge);
        for (int i = 0; i < 3; i++) y = BoxPass(y, 2, r, inner, edge);
        return y.to(ScalarType.Int32);
    }

    /// <summary>One box pass along <paramref name="dim"/>: the 2r+1 pixels around each (edges repeated) weighted by
    /// <paramref name="inner"/>, the two just outside by <paramref name="edge"/>, (sum + 2²³) >> 24.</summary>
    private static Tensor BoxPass(Tensor x, long dim, int r, Tensor inner, Tensor edge)
    {
        long n = x.shape[dim], pad = r + 1;
        using var start = (-pad).ToScalar();
        using var stop = (n + pad).ToScalar();
        using var last = (n - 1).ToScalar();
        var clamped = arange(start, stop, Scalars.Int64(1), device: x.device).clamp(Scalars.Int64(0), last);
        var padded = x.index_select(dim, clamped); // edges repeated, as Pillow's clamped reads
        var shape = padded.shape.ToArray();
        shape[dim] = 1;
        var sums = cat(new[] { zeros(shape, ScalarType.Int64, x.device), padded.cumsum(dim) }, dim);
        var window = sums.narrow(dim, 2 * r + 2, n) - sums.narrow(dim, 1, n);
        var outside = padded.narrow(dim, 0, n).add(padded.narrow(dim, 2 * r + 2, n), Scalars.Int64(1));
        return window.mul(inner).add(outside.mul(edge), Scalars.Int64(1)).add(Scalars.Int64(Half24), Scalars.Int64(1))
            .floor_divide(Scalars.Int64(1L << 24));
    }

    /// <summary>The hue tables on one device, built once.</summary>
    private sealed record HueTensors(Tensor Hue, Tensor Saturation, Tensor BranchOf, Tensor HueFraction, Tensor HueSector6, Tensor SatFraction, Tensor SectorPick)
    {
        private static readonly Dictionary<string, HueTensors> OnDevice = new();

        public static HueTensors For(Device device)
        {
            lock (OnDevice)
            {
                string key = device.ToString();
                if (OnDevice.TryGetValue(key, out var t)) return t;
                var (hue, sat, branchOf, hueFraction, sector6, satFraction, pick) = PilColor.HueTables();
                static Tensor Long(IEnumerable<int> v, Device d) => tensor(v.Select(x => (long)x).ToArray(), device: d).DetachFromDisposeScope();
                t = new HueTensors(Long(hue.Select(b => (int)b), device), Long(sat.Select(b => (int)b), device), Long(branchOf.Select(b => (int)b), device),
                    tensor(hueFraction, device: device).DetachFromDisposeScope(), Long(sector6, device),
                    tensor(satFraction, device: device).DetachFromDisposeScope(), Long(pick.Select(b => (int)b), device));
                OnDevice[key] = t;
                return t;
            }
        }
    }
}
