using static TorchSharp.torch;

namespace Vicreg.Data;

/// <summary>
/// One group of multi-crop local views in a batch: <paramref name="Count"/> views of every sample for branch A, or
/// for branch B when <paramref name="BranchB"/>, in one float32 tensor [Count·B, …] of the group's size, view-major
/// (rows j·B … j·B + B − 1 are local view j of the batch's samples, in the batch's order), so that the branch
/// embeds the whole group in one forward. The batch that holds it disposes it.
/// </summary>
public sealed record LocalViews(bool BranchB, int Count, Tensor Views)
{
    /// <summary>Samples per view (the batch's rows).</summary>
    public long BatchRows => Views.shape[0] / Count;
}
