using Vicreg.Core;
using Vicreg.Losses;
using static TorchSharp.torch;

namespace Vicreg.Training.Methods;

/// <summary>SimCLR's fields of the `method` section.</summary>
public sealed record SimClrOptions : WithAddedTermsOptions
{
    /// <summary>The softmax temperature T of NT-Xent (0.1 in SimCLR's large-batch runs).</summary>
    [Option("Softmax temperature T of NT-Xent.", Min = 0, MinExclusive = true)]
    public double Temperature { get; init; } = 0.1;
}

/// <summary>SimCLR: NT-Xent on the two embeddings (both directions, 2N − 2 negatives per anchor), optionally
/// plus VICReg's variance/covariance terms.</summary>
public sealed class SimClrMethod : IPairwiseMethod
{
    public static readonly MethodEntry Entry = MethodEntry.Of<SimClrOptions, SimClrMethod>(
        "simclr", "SimCLR: contrastive NT-Xent", new MethodCapabilities(LocalViews: LocalViewUse.Paired),
        (o, _) => new SimClrMethod(o.Temperature, o.ToAddedTerms()),
        (o, _, require) =>
        {
            require(o.Temperature > 0, "method.temperature", $"must be > 0; got {o.Temperature}");
            o.ValidateAddedTerms(require);
        });

    private readonly NtXentLoss loss;
    private readonly AddedTerms added;

    public SimClrMethod(double temperature = 0.1, AddedTerms? added = null)
    {
        loss = new NtXentLoss(temperature);
        this.added = added ?? new AddedTerms();
        Terms = this.added.After(new LossTerm("nt_xent"));
    }

    public string Name => "simclr";
    public IReadOnlyList<LossTerm> Terms { get; }

    public LossTerms Compute(Tensor embeddingA, Tensor embeddingB)
    {
        using var scope = NewDisposeScope();
        return added.With(loss.Compute(embeddingA, embeddingB), embeddingA, embeddingB).MoveToOuterScope();
    }
}
