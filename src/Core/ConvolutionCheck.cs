using static TorchSharp.torch;

namespace Vicreg.Core;

/// <summary>One convolution the check got wrong: its shape and its worst relative error.</summary>
public sealed record ConvolutionMismatch(long InChannels, long OutChannels, long Kernel, string Part, double RelativeError)
{
    public override string ToString() =>
        $"{InChannels} → {OutChannels} channels, {Kernel}×{Kernel}: {Part} " + (double.IsFinite(RelativeError) ? $"off by {RelativeError * 100:F0}% of its largest value" : "not finite");
}

/// <summary>
/// Compares the CPU convolution that is in force, forward and both gradients in float32, with the same convolution
/// in float64 (always ATen's kernels), over channel counts on both sides of oneDNN's vector blocks (8 with AVX2, 16
/// with AVX-512) and the kernel sizes of the encoders (1×1, 3×3, the 7×7 stride-2 stem).
/// </summary>
/// <remarks>
/// Why: on this project's build machine (an AMD EPYC VM, libtorch 2.10), oneDNN's convolutions were wrong for such
/// shapes, with its AVX2 and its AVX-512 kernels alike: an input gradient off by 25–74% of its largest value, and for
/// 12 input channels (AVX2) or 24 (AVX-512) the forward too; they also read memory that nothing had written (with
/// fresh memory filled with NaN, every tiny run diverged at step 0). A wrong result of this kind is silent unless the
/// memory happens to hold a NaN. The check takes about a tenth of a second, once per process.
/// </remarks>
public static class ConvolutionCheck
{
    public const double Tolerance = 1e-5;

    private static readonly long[] InChannels = { 3, 4, 8, 12, 24 };
    private static readonly long[] OutChannels = { 4, 8, 12 };
    private static readonly long[] Kernels = { 1, 3, 7 };

    public delegate Tensor Convolution(Tensor input, Tensor weight, long stride, long padding);

    /// <summary>libtorch's convolution, whichever kernels are in force.</summary>
    public static Tensor Libtorch(Tensor input, Tensor weight, long stride, long padding) =>
        nn.functional.conv2d(input, weight, strides: new[] { stride, stride }, padding: new[] { padding, padding });

    /// <summary>The shapes where <paramref name="convolution"/> in float32 is off float64's result by more than
    /// <see cref="Tolerance"/> of the largest value (empty when it agrees everywhere), and how many were compared.</summary>
    public static (IReadOnlyList<ConvolutionMismatch> Mismatches, int Compared) Run(Convolution? convolution = null)
    {
        convolution ??= Libtorch;
        var mismatches = new List<ConvolutionMismatch>();
        int compared = 0;
        using var gradients = enable_grad(); // the check may run inside a no-grad region
        foreach (long ic in InChannels)
        foreach (long oc in OutChannels)
        foreach (long k in Kernels)
        {
            using var scope = NewDisposeScope();
            var g = new Generator((ulong)(ic * 100 + oc * 10 + k));
            var x32 = randn(new long[] { 4, ic, 16, 16 }, generator: g).requires_grad_();
            var w32 = randn(new long[] { oc, ic, k, k }, generator: g).requires_grad_();
            var x64 = x32.detach().to_type(ScalarType.Float64).requires_grad_();
            var w64 = w32.detach().to_type(ScalarType.Float64).requires_grad_();
            long stride = k == 7 ? 2 : 1, padding = k / 2;
            var y32 = convolution(x32, w32, stride, padding);
            var y64 = Libtorch(x64, w64, stride, padding);
            // A loss whose output gradient varies with every element (2y), so each gradient path is exercised.
            y32.pow(Scalars.Int64(2)).sum().backward();
            y64.pow(Scalars.Int64(2)).sum().backward();
            compared++;
            var worst = new[] { ("forward", y32, y64), ("weight gradient", w32.grad!, w64.grad!), ("input gradient", x32.grad!, x64.grad!) }
                .Select(p => (p.Item1, Error: Relative(p.Item2, p.Item3))).MaxBy(p => p.Error);
            if (!(worst.Error <= Tolerance)) mismatches.Add(new ConvolutionMismatch(ic, oc, k, worst.Item1, worst.Error));
        }
        return (mismatches, compared);
    }

    private static double Relative(Tensor a, Tensor b)
    {
        double scale = b.abs().max().item<double>(); // host read: once per process, before any step, on the CPU
        return (a.to_type(ScalarType.Float64) - b).abs().max().item<double>() / Math.Max(scale, double.Epsilon); // host read: as above
    }
}
