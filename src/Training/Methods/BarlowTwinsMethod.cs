using Vicreg.Losses;
using static TorchSharp.torch;

namespace Vicreg.Training.Methods;

/// <summary>Barlow Twins on the two embeddings, optionally plus VICReg's variance/covariance terms.</summary>
public sealed class BarlowTwinsMethod : IMethod
{
    private readonly BarlowTwinsLoss loss;
    private readonly AddedTerms added;

    public BarlowTwinsMethod(double offDiagonal = 0.0051, AddedTerms? added = null)
    {
        loss = new BarlowTwinsLoss(offDiagonal);
        this.added = added ?? new AddedTerms();
    }

    public string Name => "barlow-twins";

    public MethodLoss Compute(Tensor embeddingA, Tensor embeddingB)
    {
        using var scope = NewDisposeScope();
        var result = added.With(loss.Compute(embeddingA, embeddingB), embeddingA, embeddingB);
        return result.MoveToOuterScope();
    }
}
