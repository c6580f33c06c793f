using Vicreg.Data;
using static TorchSharp.torch;

namespace Vicreg.Training.Methods;

/// <summary>
/// How two embeddings become a loss. The trainer does not know which method it runs: it logs the total and
/// the method's own named <see cref="Terms"/> (stats.csv, TensorBoard, the progress bar). Methods are built
/// from the experiment's `method` section by their <see cref="MethodEntry"/> in <see cref="MethodCatalog"/>.
/// </summary>
public interface IMethod
{
    string Name { get; }

    /// <summary>The terms every <see cref="MethodLoss"/> of this method reports, in this order, with their weight in
    /// the total. Fixed once the method is built, so the columns of stats.csv are known before the first step.</summary>
    IReadOnlyList<LossTerm> Terms => Array.Empty<LossTerm>();

    MethodLoss Compute(Tensor embeddingA, Tensor embeddingB);

    /// <summary>Multi-crop (<see cref="LocalViewUse.Paired"/>): the loss of the two global embeddings and the local
    /// views' embeddings [B, D] (one per local view), by default <see cref="LocalViewPairs.Average"/>.</summary>
    MethodLoss ComputeWithLocals(Tensor embeddingA, Tensor embeddingB, IReadOnlyList<Tensor> locals) =>
        LocalViewPairs.Average(this, embeddingA, embeddingB, locals);

    /// <summary>One training step's loss from the two views. By default: both branches, then
    /// <see cref="Compute"/>. Methods with a predictor or a momentum target (BYOL, SimSiam) override it.</summary>
    MethodLoss Forward(Model.JointEmbedding model, Tensor viewA, Tensor viewB)
    {
        var (za, zb) = model.call(viewA, viewB);
        return Compute(za, zb);
    }
}

/// <summary>Marks a method whose <see cref="IMethod.Forward"/> runs the branches itself (a predictor, a momentum
/// target): executors call Forward instead of running the model and then <see cref="IMethod.Compute"/>.
/// <see cref="MethodEntry.RunsBranchesItself"/> is read from this interface, so the two cannot disagree.</summary>
public interface IRunsBranchesItself : IMethod
{
    /// <summary>Multi-crop (<see cref="LocalViewUse.Own"/>): one step's loss from the two global views and the groups of
    /// local views, already on the model's device. Without local views it is the two-view <see cref="IMethod.Forward"/>.</summary>
    MethodLoss Forward(Model.JointEmbedding model, Tensor viewA, Tensor viewB, IReadOnlyList<LocalViews> locals) =>
        locals.Count == 0 ? Forward(model, viewA, viewB)
            : throw new NotSupportedException($"method {Name} does not use local views (multi-crop); the config check refuses model.branch_*.view.local_crops for it");
}

/// <summary>Optional: a method that changes state after each optimizer step (BYOL's momentum update).
/// <paramref name="step"/> is the step just taken (0-based), of <paramref name="totalSteps"/>.</summary>
public interface IAfterOptimizerStep
{
    void AfterOptimizerStep(Model.JointEmbedding model, long step, long totalSteps);
}
