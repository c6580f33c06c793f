using Vicreg.Losses;
using static TorchSharp.torch;

namespace Vicreg.Training.Methods;

/// <summary>VICReg: the invariance, variance and covariance terms of <see cref="VicRegLoss"/>.</summary>
public sealed class VicRegMethod : IMethod
{
    private readonly VicRegLoss loss;

    public VicRegMethod(VicRegOptions? options = null) => loss = new VicRegLoss(options);

    public string Name => "vicreg";

    public MethodLoss Compute(Tensor embeddingA, Tensor embeddingB)
    {
        var t = loss.Compute(embeddingA, embeddingB);
        return new MethodLoss(t.Total, t.Invariance, t.Variance, t.Covariance);
    }
}
