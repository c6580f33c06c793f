using Vicreg.Losses;
using static TorchSharp.torch;

namespace Vicreg.Training.Methods;

/// <summary>
/// How one step's forward pass becomes a loss. The trainer and the executors do not know which method they run: an
/// executor hands the method an <see cref="IForwardPass"/> (the network under the precision policy, results in float32)
/// and logs the total and the method's own named <see cref="Terms"/> (stats.csv, TensorBoard, the progress bar).
/// Methods are built from the experiment's `method` section by their <see cref="MethodEntry"/> in <see cref="MethodCatalog"/>.
/// </summary>
public interface IMethod
{
    string Name { get; }

    /// <summary>The terms every <see cref="LossTerms"/> of this method reports, in this order, with their weight in
    /// the total. Fixed once the method is built, so the columns of stats.csv are known before the first step.</summary>
    IReadOnlyList<LossTerm> Terms => Array.Empty<LossTerm>();

    /// <summary>One step's loss. Every term is computed from what <paramref name="pass"/> returns (float32), so none of
    /// them runs under autocast.</summary>
    LossTerms Loss(IForwardPass pass);

    /// <summary>Called after each optimizer step (BYOL's momentum update, SwAV's schedule); by default nothing.
    /// <paramref name="step"/> is the step just taken (0-based), of <paramref name="totalSteps"/>.</summary>
    void AfterOptimizerStep(Model.JointEmbedding model, long step, long totalSteps) { }
}

/// <summary>A method whose loss compares the two embeddings and nothing else (VICReg, Barlow Twins, SimCLR). Its step
/// loss is <see cref="Compute"/> of the pass's embeddings; with multi-crop local views, each global view against every
/// other view (<see cref="LocalViewPairs"/>).</summary>
public interface IPairwiseMethod : IMethod
{
    LossTerms Compute(Tensor embeddingA, Tensor embeddingB);

    LossTerms IMethod.Loss(IForwardPass pass)
    {
        var (a, b) = pass.Embeddings();
        return LocalViewPairs.Average(this, a, b, pass.LocalEmbeddings());
    }
}
