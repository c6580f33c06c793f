using TorchSharp;
using Vicreg.Losses;
using Vicreg.Training.Model;
using static TorchSharp.torch;

namespace Vicreg.Training.Methods;

/// <summary>SwAV's fields of the `method` section (the official defaults for ImageNet).</summary>
public sealed record SwavOptions : WithAddedTermsOptions
{
    /// <summary>K, the number of prototypes (3000 for ImageNet; fewer for small data).</summary>
    public int Prototypes { get; init; } = 3000;
    /// <summary>T, the softmax temperature of the predictions.</summary>
    public double Temperature { get; init; } = 0.1;
    /// <summary>ε, the entropy regularisation of the Sinkhorn-Knopp codes.</summary>
    public double Epsilon { get; init; } = 0.05;
    public int SinkhornIterations { get; init; } = 3;
}

/// <summary>
/// SwAV (Caron et al., 2020) with two views and no queue: the embeddings are scored against trainable
/// prototypes (the model's <c>prototypes</c> module, K × D, in the state dict), and each view predicts the
/// other view's Sinkhorn-Knopp codes (<see cref="SwavLoss"/>). As in the official code the prototypes are
/// renormalised to unit rows before every step. Multi-crop and the queue for small batches are not here yet.
/// </summary>
public sealed class SwavMethod : IRunsBranchesItself
{
    public const string PrototypesModule = "prototypes";

    // Runs the branches itself to reach the prototypes, which the data-parallel replicas do not carry.
    public static readonly MethodEntry Entry = MethodEntry.Of<SwavOptions, SwavMethod>(
        "swav", "SwAV: swapped prediction of Sinkhorn-Knopp codes over prototypes",
        new MethodCapabilities(DataParallel: false),
        (o, _) => new SwavMethod(new SwavLoss(o.Temperature, o.Epsilon, o.SinkhornIterations), o.ToAddedTerms()),
        (o, _, require) =>
        {
            require(o.Prototypes >= 1, "method.prototypes", $"must be ≥ 1; got {o.Prototypes}");
            require(o.Temperature > 0, "method.temperature", $"must be > 0; got {o.Temperature}");
            require(o.Epsilon > 0, "method.epsilon", $"must be > 0; got {o.Epsilon}");
            require(o.SinkhornIterations >= 1, "method.sinkhorn_iterations", $"must be ≥ 1; got {o.SinkhornIterations}");
            o.ValidateAddedTerms(require);
        },
        (o, width) => new (string, nn.Module)[] { (PrototypesModule, nn.Linear(width, o.Prototypes, hasBias: false)) });

    private readonly SwavLoss loss;
    private readonly AddedTerms added;

    public SwavMethod(SwavLoss? loss = null, AddedTerms? added = null)
    {
        this.loss = loss ?? new SwavLoss();
        this.added = added ?? new AddedTerms();
        Terms = this.added.After(new LossTerm("swapped_prediction"));
    }

    public string Name => "swav";
    public IReadOnlyList<LossTerm> Terms { get; }

    public MethodLoss Compute(Tensor embeddingA, Tensor embeddingB) =>
        throw new InvalidOperationException("SwAV needs the model's prototypes; the trainer calls Forward");

    public MethodLoss Forward(JointEmbedding model, Tensor viewA, Tensor viewB)
    {
        var prototypes = model.MethodModule(PrototypesModule) as TorchSharp.Modules.Linear
            ?? throw new InvalidOperationException("SwAV needs the model's prototypes (ModelFactory.Build with method swav)");
        using var scope = NewDisposeScope();
        using (no_grad())
            prototypes.weight!.copy_(CosineLosses.Normalize(prototypes.weight!));
        var (za, zb) = model.call(viewA, viewB);
        var swapped = loss.Compute(za, zb, prototypes.weight!);
        return added.With(swapped, za, zb, ("swapped_prediction", swapped)).MoveToOuterScope();
    }
}
