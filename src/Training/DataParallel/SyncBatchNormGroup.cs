using TorchSharp;
using Vicreg.Core;
using static TorchSharp.torch;

namespace Vicreg.Training.DataParallel;

/// <summary>
/// One batch-norm layer across K replicas: PyTorch's SyncBatchNorm, in one process (the arithmetic is
/// <see cref="GlobalBatchNorm"/>'s). The statistics are
/// exchanged as tensors that stay in the autograd graph (moved between devices with a differentiable
/// <c>to</c>), so one backward gives every replica the gradient through the global statistics, which
/// the all-reduce in PyTorch's SyncBatchNorm backward computes by hand.
/// </summary>
internal sealed class SyncBatchNormGroup
{
    private readonly Tensor?[] slots;
    private readonly long[] counts;

    public SyncBatchNormGroup(int replicas)
    {
        slots = new Tensor?[replicas];
        counts = new long[replicas];
    }

    /// <summary>The barrier of the step in progress (set by the executor before the forward).</summary>
    public ReplicaBarrier? Barrier { get; set; }

    public IBatchNormSync Member(int rank) => new MemberView(this, rank);

    /// <summary>Deposits this replica's tensor, waits for all, and returns the sum of everyone's (in rank
    /// order, on <paramref name="device"/>) and the total row count. The sum is taken before the second
    /// wait, while every replica's tensor is still alive.</summary>
    private (Tensor Sum, long Rows) AllReduce(int rank, Tensor mine, long rows, Device device)
    {
        var barrier = Barrier ?? throw new InvalidOperationException("a synchronised batch norm was called outside a data-parallel step");
        slots[rank] = mine;
        counts[rank] = rows;
        barrier.Wait(); // everyone has deposited
        var total = slots[0]!.to(device);
        for (int i = 1; i < slots.Length; i++) total = total.Plus(slots[i]!.to(device));
        long n = counts.Sum();
        barrier.Wait(); // everyone has read; the slots may be reused
        return (total, n);
    }

    private Tensor Normalize(int rank, StableBatchNorm bn, Tensor input) =>
        GlobalBatchNorm.Normalize(bn, input, (mine, rows) => AllReduce(rank, mine, rows, input.device));

    private sealed class MemberView : IBatchNormSync
    {
        private readonly SyncBatchNormGroup group;
        private readonly int rank;

        public MemberView(SyncBatchNormGroup group, int rank)
        {
            this.group = group;
            this.rank = rank;
        }

        public Tensor Normalize(StableBatchNorm norm, Tensor input) => group.Normalize(rank, norm, input);
    }
}
