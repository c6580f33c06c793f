using TorchSharp;
using Vicreg.Core;
using static TorchSharp.torch;

namespace Vicreg.Losses;

/// <summary>
/// The scalar terms of one VICReg evaluation. Each is a differentiable float32 scalar tensor.
/// <see cref="Total"/> = λ·Invariance + μ·Variance + ν·Covariance.
/// </summary>
public sealed record VicRegTerms(Tensor Invariance, Tensor Variance, Tensor Covariance, Tensor Total) : IDisposable
{
    /// <summary>Copies the four values to the host (one read-back, <see cref="HostReads"/>).</summary>
    public (double Invariance, double Variance, double Covariance, double Total) Values()
    {
        using var all = stack(new[] { Invariance, Variance, Covariance, Total });
        var v = HostReads.Doubles(all);
        return (v[0], v[1], v[2], v[3]);
    }

    public void Dispose()
    {
        Invariance.Dispose();
        Variance.Dispose();
        Covariance.Dispose();
        Total.Dispose();
    }
}
