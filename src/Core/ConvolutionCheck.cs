using static TorchSharp.torch;

namespace Vicreg.Core;

/// <summary>One convolution the check got wrong: its shape and its worst relative error.</summary>
public sealed record ConvolutionMismatch(ConvolutionShape Shape, string Part, double RelativeError)
{
    /// <summary>Also names the input's size (a run's own convolutions, where it differs between layers).</summary>
    public bool NameInput { get; init; }

    public override string ToString() =>
        $"{Shape.Describe(NameInput)}: {Part} " + (double.IsFinite(RelativeError) ? $"off by {RelativeError * 100:F0}% of its largest value" : "not finite");
}

/// <summary>
/// Compares the CPU convolution that is in force, forward and both gradients in float32, with the same convolution
/// in float64 (always ATen's kernels): over a grid of channel counts on both sides of oneDNN's vector blocks (8 with
/// AVX2, 16 with AVX-512) and the kernel sizes of the encoders (1×1, 3×3, the 7×7 stride-2 stem), or over the
/// convolutions one run uses (<see cref="CpuConvolutions.ForRun"/>).
/// </summary>
/// <remarks>
/// Why: on this project's build machine (an AMD EPYC VM, libtorch 2.10), oneDNN's convolutions were wrong for such
/// shapes, with its AVX2 and its AVX-512 kernels alike: an input gradient off by 25–74% of its largest value, and for
/// 12 input channels (AVX2) or 24 (AVX-512) the forward too; they also read memory that nothing had written (with
/// fresh memory filled with NaN, every tiny run diverged at step 0). A wrong result of this kind is silent unless the
/// memory happens to hold a NaN. The grid takes about a tenth of a second, once per process; a run's own shapes are
/// checked once per run where the grid failed.
/// </remarks>
public static class ConvolutionCheck
{
    public const double Tolerance = 1e-5;

    /// <summary>The general check's shapes: 3/4/8/12/24 → 4/8/12 channels, 1×1, 3×3 and the 7×7 stride-2 stem, on a
    /// batch of 4 images of 16×16.</summary>
    public static readonly IReadOnlyList<ConvolutionShape> Grid =
        (from ic in new long[] { 3, 4, 8, 12, 24 }
         from oc in new long[] { 4, 8, 12 }
         from k in new long[] { 1, 3, 7 }
         select new ConvolutionShape(new long[] { 4, ic, 16, 16 }, new long[] { oc, ic, k, k },
             new[] { k == 7 ? 2L : 1, k == 7 ? 2L : 1 }, new[] { k / 2, k / 2 }, new long[] { 1, 1 })).ToArray();

    public delegate Tensor Convolution(Tensor input, Tensor weight, ConvolutionShape shape);

    /// <summary>libtorch's convolution (1-, 2- or 3-D), whichever kernels are in force.</summary>
    public static Tensor Libtorch(Tensor input, Tensor weight, ConvolutionShape s) => s.SpatialDimensions switch
    {
        1 => nn.functional.conv1d(input, weight, stride: s.Stride[0], padding: s.Padding[0], dilation: s.Dilation[0], groups: s.Groups),
        2 => nn.functional.conv2d(input, weight, strides: s.Stride, padding: s.Padding, dilation: s.Dilation, groups: s.Groups),
        3 => nn.functional.conv3d(input, weight, strides: s.Stride, padding: s.Padding, dilation: s.Dilation, groups: s.Groups),
        _ => throw new ArgumentException($"a convolution has 1, 2 or 3 spatial dimensions; this one has {s.SpatialDimensions}"),
    };

    /// <summary>The shapes (default: <see cref="Grid"/>) where <paramref name="convolution"/> in float32 is off
    /// float64's result by more than <see cref="Tolerance"/> of the largest value (empty when it agrees everywhere),
    /// and how many were compared.</summary>
    public static (IReadOnlyList<ConvolutionMismatch> Mismatches, int Compared) Run(Convolution? convolution = null,
        IEnumerable<ConvolutionShape>? shapes = null)
    {
        convolution ??= Libtorch;
        var mismatches = new List<ConvolutionMismatch>();
        int compared = 0;
        using var gradients = enable_grad(); // the check may run inside a no-grad region
        foreach (var shape in shapes ?? Grid)
        {
            compared++;
            // Twice: with the input's gradient (a layer inside a network), and without it (a network's first layer,
            // whose input is data): libtorch then asks only for the weight gradient, another kernel path.
            var worst = new[] { true, false }.Select(inputGradient => Compare(convolution, shape, inputGradient)).MaxBy(w => w.Error);
            if (!(worst.Error <= Tolerance)) mismatches.Add(new ConvolutionMismatch(shape, worst.Part, worst.Error));
        }
        return (mismatches, compared);
    }

    /// <summary>The worst part of one convolution (forward and its gradients) against float64, and its relative error.</summary>
    private static (string Part, double Error) Compare(Convolution convolution, ConvolutionShape shape, bool inputGradient)
    {
        using var scope = NewDisposeScope();
        var g = new Generator((ulong)(shape.InChannels * 100 + shape.OutChannels * 10 + shape.Weight[2]));
        var x32 = randn(shape.Input, generator: g).requires_grad_(inputGradient);
        var w32 = randn(shape.Weight, generator: g).requires_grad_();
        var x64 = x32.detach().to_type(ScalarType.Float64).requires_grad_(inputGradient);
        var w64 = w32.detach().to_type(ScalarType.Float64).requires_grad_();
        var y32 = convolution(x32, w32, shape);
        var y64 = Libtorch(x64, w64, shape);
        // A loss whose output gradient varies with every element (2y), so each gradient path is exercised.
        y32.pow(Scalars.Int64(2)).sum().backward();
        y64.pow(Scalars.Int64(2)).sum().backward();
        var parts = new List<(string, Tensor, Tensor)> { ("forward", y32, y64), (inputGradient ? "weight gradient" : "weight gradient (input without gradient)", w32.grad!, w64.grad!) };
        if (inputGradient) parts.Add(("input gradient", x32.grad!, x64.grad!));
        return parts.Select(p => (p.Item1, Relative(p.Item2, p.Item3))).MaxBy(p => p.Item2);
    }

    private static double Relative(Tensor a, Tensor b)
    {
        double scale = b.abs().max().item<double>(); // host read: once per process, before any step, on the CPU
        return (a.to_type(ScalarType.Float64) - b).abs().max().item<double>() / Math.Max(scale, double.Epsilon); // host read: as above
    }
}
