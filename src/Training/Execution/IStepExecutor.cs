using Vicreg.Losses;
using Vicreg.Data;
using Vicreg.Training.Methods;
using static TorchSharp.torch;

namespace Vicreg.Training.Execution;

/// <summary>
/// Where and how one step's forward and backward run: one device, or replicas on several devices. The
/// trainer zeroes the gradients, asks for the loss and gradients, guards them and steps the optimizer on
/// the main model; it does not know which executor it has.
/// </summary>
public interface IStepExecutor : IDisposable
{
    /// <summary>For logs: the device(s) and precision, e.g. "cpu, fp32" or "cuda:0+cuda:1, bf16".</summary>
    string Description { get; }

    /// <summary>
    /// Forward of both views, the method's loss in float32 on the main device, backward. On return the
    /// main model's parameters hold the gradient of the loss over the whole batch. Tensors created here
    /// belong to the caller's dispose scope.
    /// </summary>
    LossTerms LossAndGradients(Tensor viewA, Tensor viewB);

    /// <summary>The same with multi-crop local views (host tensors, as the batch holds them). Without any it is the
    /// two-view step; an executor that does not take them refuses them.</summary>
    LossTerms LossAndGradients(Tensor viewA, Tensor viewB, IReadOnlyList<LocalViews> locals) =>
        locals.Count == 0 ? LossAndGradients(viewA, viewB)
            : throw new NotSupportedException($"multi-crop (model.branch_*.view.local_crops) runs on one device; {Description} takes two views");
}
