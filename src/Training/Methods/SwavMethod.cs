using Vicreg.Core;
using TorchSharp;
using Vicreg.Data;
using Vicreg.Losses;
using Vicreg.Training.Model;
using static TorchSharp.torch;

namespace Vicreg.Training.Methods;

/// <summary>SwAV's fields of the `method` section (the official defaults for ImageNet).</summary>
public sealed record SwavOptions : WithAddedTermsOptions
{
    /// <summary>K, the number of prototypes (3000 for ImageNet; fewer for small data).</summary>
    [Option("K, the number of prototypes.", Min = 1)]
    public int Prototypes { get; init; } = 3000;
    /// <summary>T, the softmax temperature of the predictions.</summary>
    [Option("Softmax temperature T of the predictions.", Min = 0, MinExclusive = true)]
    public double Temperature { get; init; } = 0.1;
    /// <summary>ε, the entropy regularisation of the Sinkhorn-Knopp codes.</summary>
    [Option("ε, the entropy regularisation of the Sinkhorn-Knopp codes.", Min = 0, MinExclusive = true)]
    public double Epsilon { get; init; } = 0.05;
    [Option("Sinkhorn-Knopp iterations per batch.", Min = 1)]
    public int SinkhornIterations { get; init; } = 3;
    /// <summary>L, past embeddings of each global view kept to compute the codes with (0: no queue). Official: 3840
    /// at batch 256, none at 4096; a multiple of optim.batch_size (the official code rounds it down to one).</summary>
    [Option("Embeddings of earlier batches kept to compute the codes (0: no queue); a multiple of optim.batch_size.", Min = 0)]
    public int QueueLength { get; init; }
    /// <summary>The epoch from which the queue fills; it is used once full (official epoch_queue_starts, 15).</summary>
    [Option("The epoch from which the queue fills; it is used once full.", Min = 0)]
    public int QueueStartEpoch { get; init; } = 15;
    /// <summary>Epochs during which the prototypes get no gradient (official freeze_prototypes_niters: 313 steps at
    /// batch 4096 and 5005 at batch 256, one ImageNet epoch each).</summary>
    [Option("Epochs during which the prototypes are not updated.", Min = 0)]
    public int FreezePrototypesEpochs { get; init; } = 1;
}

/// <summary>
/// SwAV (Caron et al., 2020) as in facebookresearch/swav's main_swav.py: the embeddings are scored against
/// trainable prototypes (the model's <c>prototypes</c> module, K × D, in the state dict), and each global view's
/// Sinkhorn-Knopp codes are predicted by the other global view and by every multi-crop local view
/// (<see cref="SwavLoss"/>; crops_for_assign 0 1). Added VICReg variance/covariance terms, when asked for, take the two
/// global embeddings. As in the official code the prototypes are
/// renormalised to unit rows before every step and get no gradient during the first
/// <see cref="SwavOptions.FreezePrototypesEpochs"/> epochs (their gradient stays unset, so the optimizer leaves
/// them alone, as the official p.grad = None does). From <see cref="SwavOptions.QueueStartEpoch"/> on, each global
/// view's normalised embeddings fill a queue of <see cref="SwavOptions.QueueLength"/>; once it is full the codes
/// are computed over the queue and the batch together. The queue and the step counters are the model's
/// <c>swav</c> module (<see cref="SwavState"/>), so checkpoints hold them and resume is bit-exact.
/// </summary>
public sealed class SwavMethod : IMethod
{
    public const string PrototypesModule = "prototypes";
    public const string StateModule = "swav";

    // Runs the branches itself to reach the prototypes, which the data-parallel replicas do not carry.
    public static readonly MethodEntry Entry = MethodEntry.Of<SwavOptions, SwavMethod>(
        "swav", "SwAV: swapped prediction of Sinkhorn-Knopp codes over prototypes",
        new MethodCapabilities(DataParallel: false, LocalViews: LocalViewUse.Own,
            OneProcessOnly: "computes its Sinkhorn-Knopp codes and queue from one process's batch; across ranks they would need sums over every rank's batch, which multi-process training does not do yet"),
        (o, c) => new SwavMethod(new SwavLoss(o.Temperature, o.Epsilon, o.SinkhornIterations), o.ToAddedTerms(),
            new SwavSchedule(o.QueueStartEpoch, o.FreezePrototypesEpochs, c.Epochs)),
        (o, c, require) =>
        {
            require(o.Prototypes >= 1, "method.prototypes", $"must be ≥ 1; got {o.Prototypes}");
            require(o.Temperature > 0, "method.temperature", $"must be > 0; got {o.Temperature}");
            require(o.Epsilon > 0, "method.epsilon", $"must be > 0; got {o.Epsilon}");
            require(o.SinkhornIterations >= 1, "method.sinkhorn_iterations", $"must be ≥ 1; got {o.SinkhornIterations}");
            require(o.QueueLength >= 0, "method.queue_length", $"must be ≥ 0 (0: no queue); got {o.QueueLength}");
            int batch = c.BatchSize;
            require(o.QueueLength % batch == 0, "method.queue_length",
                $"must be a multiple of optim.batch_size ({batch}), since each step replaces one batch of it; got {o.QueueLength} (use {o.QueueLength - o.QueueLength % batch} or {o.QueueLength - o.QueueLength % batch + batch})");
            require(o.QueueStartEpoch >= 0, "method.queue_start_epoch", $"must be ≥ 0; got {o.QueueStartEpoch}");
            require(o.FreezePrototypesEpochs >= 0, "method.freeze_prototypes_epochs", $"must be ≥ 0; got {o.FreezePrototypesEpochs}");
            o.ValidateAddedTerms(require);
        },
        (o, width) => new (string, nn.Module)[]
        {
            (PrototypesModule, nn.Linear(width, o.Prototypes, hasBias: false)),
            (StateModule, new SwavState(o.QueueLength, width)),
        });

    private readonly SwavLoss loss;
    private readonly AddedTerms added;

    public SwavMethod(SwavLoss? loss = null, AddedTerms? added = null, SwavSchedule? schedule = null)
    {
        this.loss = loss ?? new SwavLoss();
        this.added = added ?? new AddedTerms();
        Schedule = schedule ?? new SwavSchedule();
        Terms = this.added.After(new LossTerm("swapped_prediction"));
    }

    public SwavSchedule Schedule { get; }

    public string Name => "swav";
    public IReadOnlyList<LossTerm> Terms { get; }

    /// <summary>Multi-crop as in the official code: the two global views' codes are predicted by every other view, the
    /// other global view and each local view (<see cref="SwavLoss"/>); the queue holds global views only.</summary>
    public LossTerms Loss(IForwardPass pass)
    {
        var model = pass.Model;
        var prototypes = Prototypes(model);
        var state = State(model);
        using var scope = NewDisposeScope();
        using (no_grad())
            prototypes.copy_(CosineLosses.Normalize(prototypes));
        var (za, zb) = pass.Embeddings();
        return added.With(Swapped(new[] { za, zb }, pass.LocalEmbeddings(), prototypes, state), za, zb).MoveToOuterScope();
    }

    /// <summary>The swapped prediction of one step for the global embeddings <paramref name="globals"/> and the local
    /// ones, with the prototypes frozen or not and the queue used and filled as <paramref name="state"/> says.</summary>
    public LossTerms Swapped(IReadOnlyList<Tensor> globals, IReadOnlyList<Tensor> locals, Tensor prototypes, SwavState state)
    {
        using var scope = NewDisposeScope();
        var c = Schedule.PrototypesFrozen(state) ? prototypes.detach() : prototypes;
        bool queueing = Schedule.Queueing(state);
        // The codes use the queue as it was before this batch; then the batch goes in (official order).
        var queues = queueing && state.QueueFull ? new[] { state.Queue.select(0, 0), state.Queue.select(0, 1) } : null;
        var swapped = loss.Compute(globals, locals, c, queues);
        if (queueing) state.Push(globals.Select(z => CosineLosses.Normalize(z.detach().to_type(ScalarType.Float32))).ToArray());
        return swapped.MoveToOuterScope();
    }

    public void AfterOptimizerStep(JointEmbedding model, long step, long totalSteps) => State(model).StepTaken(step, totalSteps, Schedule.Epochs);

    private static Tensor Prototypes(JointEmbedding model) => (model.MethodModule(PrototypesModule) as TorchSharp.Modules.Linear)?.weight
        ?? throw new InvalidOperationException("SwAV needs the model's prototypes (ModelFactory.Build with method swav)");

    private static SwavState State(JointEmbedding model) => model.MethodModule(StateModule) as SwavState
        ?? throw new InvalidOperationException("SwAV needs the model's swav state module (ModelFactory.Build with method swav)");
}

/// <summary>When SwAV's prototypes are frozen and its queue fills, in epochs of <paramref name="Epochs"/> (the run's
/// optim.epochs, with which the step counters of <see cref="SwavState"/> are turned into epochs).</summary>
public sealed record SwavSchedule(int QueueStartEpoch = 15, int FreezePrototypesEpochs = 1, int Epochs = 1)
{
    /// <summary>No gradient for the prototypes at the next step. Before the first step the epoch length is not
    /// known yet, but that step is in epoch 0.</summary>
    public bool PrototypesFrozen(SwavState state) =>
        state.StepsPerEpoch == 0 ? FreezePrototypesEpochs > 0 : state.StepsTaken < FreezePrototypesEpochs * state.StepsPerEpoch;

    /// <summary>The queue fills at the next step (it is used once full).</summary>
    public bool Queueing(SwavState state) => state.QueueLength > 0 && state.Epoch >= QueueStartEpoch;
}
