using static TorchSharp.torch;

namespace Vicreg.Core.Distributed;

/// <summary>Batch norm over the global batch of every rank (PyTorch's SyncBatchNorm across processes): the
/// per-channel sums go through a differentiable all-reduce. Ranks hold equal shards, so the global row count is
/// World × this rank's.</summary>
public sealed class ProcessBatchNormSync : IBatchNormSync
{
    private readonly ICollectives group;

    public ProcessBatchNormSync(ICollectives group) => this.group = group;

    public Tensor Normalize(StableBatchNorm norm, Tensor input) =>
        GlobalBatchNorm.Normalize(norm, input, (mine, rows) => (AllReduceSum.Apply(mine, group), rows * group.World));
}
