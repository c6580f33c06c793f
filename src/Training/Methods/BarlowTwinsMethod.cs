using Vicreg.Core;
using Vicreg.Losses;
using static TorchSharp.torch;

namespace Vicreg.Training.Methods;

/// <summary>Barlow Twins' fields of the `method` section.</summary>
public sealed record BarlowTwinsOptions : WithAddedTermsOptions
{
    /// <summary>λ of Barlow Twins, the weight of the off-diagonal terms (their paper's 0.0051).</summary>
    [Option("λ, the weight of the off-diagonal terms of the cross-correlation.", Min = 0)]
    public double OffDiagonal { get; init; } = 0.0051;
}

/// <summary>Barlow Twins on the two embeddings, optionally plus VICReg's variance/covariance terms. Its terms:
/// on_diagonal Σ(1 − C_ii)² and off_diagonal Σ_{i≠j} C_ij² (weighted by λ in the total).</summary>
public sealed class BarlowTwinsMethod : IPairwiseMethod
{
    public static readonly MethodEntry Entry = MethodEntry.Of<BarlowTwinsOptions, BarlowTwinsMethod>(
        "barlow-twins", "Barlow Twins: cross-correlation to the identity", new MethodCapabilities(LocalViews: LocalViewUse.Paired),
        (o, _) => new BarlowTwinsMethod(o.OffDiagonal, o.ToAddedTerms()),
        (o, _, require) =>
        {
            require(o.OffDiagonal >= 0, "method.off_diagonal", $"must be ≥ 0; got {o.OffDiagonal}");
            o.ValidateAddedTerms(require);
        });

    private readonly BarlowTwinsLoss loss;
    private readonly AddedTerms added;

    public BarlowTwinsMethod(double offDiagonal = 0.0051, AddedTerms? added = null)
    {
        loss = new BarlowTwinsLoss(offDiagonal);
        this.added = added ?? new AddedTerms();
        Terms = this.added.After(new LossTerm("on_diagonal"), new LossTerm("off_diagonal", offDiagonal));
    }

    public string Name => "barlow-twins";
    public IReadOnlyList<LossTerm> Terms { get; }

    public LossTerms Compute(Tensor embeddingA, Tensor embeddingB)
    {
        using var scope = NewDisposeScope();
        return added.With(loss.Compute(embeddingA, embeddingB), embeddingA, embeddingB).MoveToOuterScope();
    }
}
