using Vicreg.Core;
using static TorchSharp.torch;

namespace Vicreg.Tests.Core;

public class CpuConvolutionsTests
{
    [OneDnnOffFact]
    public void OneDnnIsOffAndConvolutionGradientsMatchFloat64()
    {
        string line = CpuConvolutions.Apply();
        Assert.StartsWith("CPU convolutions: ATen's kernels", line);
        Assert.False(CpuConvolutions.OneDnnEnabled());

        // The convolution that then runs (ATen's) gives the float64 gradient to float32 precision.
        using var scope = NewDisposeScope();
        var g = new TorchSharp.torch.Generator(7);
        var x = randn(new long[] { 4, 3, 16, 16 }, generator: g);
        var w32 = randn(new long[] { 8, 3, 3, 3 }, generator: g).requires_grad_();
        var w64 = w32.detach().to_type(ScalarType.Float64).requires_grad_();
        nn.functional.conv2d(x, w32, padding: new long[] { 1, 1 }).pow(Scalars.Int64(2)).sum().backward();
        nn.functional.conv2d(x.to_type(ScalarType.Float64), w64, padding: new long[] { 1, 1 }).pow(Scalars.Int64(2)).sum().backward();
        double err = (w32.grad!.to_type(ScalarType.Float64) - w64.grad!).abs().max().item<double>();
        double scale = w64.grad!.abs().max().item<double>();
        Assert.True(err <= 1e-5 * scale, $"max |float32 − float64| = {err} against a largest gradient of {scale}");
    }
}
