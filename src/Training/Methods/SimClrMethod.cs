using Vicreg.Losses;
using static TorchSharp.torch;

namespace Vicreg.Training.Methods;

/// <summary>SimCLR: NT-Xent on the two embeddings (both directions, 2N − 2 negatives per anchor), optionally
/// plus VICReg's variance/covariance terms.</summary>
public sealed class SimClrMethod : IMethod
{
    private readonly NtXentLoss loss;
    private readonly AddedTerms added;

    public SimClrMethod(double temperature = 0.1, AddedTerms? added = null)
    {
        loss = new NtXentLoss(temperature);
        this.added = added ?? new AddedTerms();
    }

    public string Name => "simclr";

    public MethodLoss Compute(Tensor embeddingA, Tensor embeddingB)
    {
        using var scope = NewDisposeScope();
        return added.With(loss.Compute(embeddingA, embeddingB), embeddingA, embeddingB).MoveToOuterScope();
    }
}
