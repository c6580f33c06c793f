using TorchSharp;
using Vicreg.Core;
using static TorchSharp.torch;

namespace Vicreg.Training.DataParallel;

/// <summary>
/// One batch-norm layer across K replicas: PyTorch's SyncBatchNorm, in one process. Each replica
/// contributes per-channel sums of its rows; all replicas normalise with the mean and (biased) variance of
/// the global batch, exactly what a single device computes on the whole batch. The statistics are
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

    private Tensor Normalize(int rank, StableBatchNorm bn, Tensor input)
    {
        using var scope = NewDisposeScope();
        long channels = input.shape[1];
        long[] reduce = input.dim() switch
        {
            2 => new long[] { 0 },
            3 => new long[] { 0, 2 },
            4 => new long[] { 0, 2, 3 },
            _ => throw new ArgumentException($"batch norm expects 2-D to 4-D input; got [{string.Join(", ", input.shape)}]"),
        };
        var shape = new long[input.dim()];
        Array.Fill(shape, 1L);
        shape[1] = channels;
        var device = input.device;
        var x = input.dtype == ScalarType.Float32 ? input : input.to_type(ScalarType.Float32); // statistics in fp32
        long rows = input.numel() / channels;

        var (sum, n) = AllReduce(rank, x.sum(reduce), rows, device);
        var mean = sum.DividedBy(n);
        var centred = x.Minus(mean.reshape(shape));
        var (squares, _) = AllReduce(rank, centred.mul(centred).sum(reduce), rows, device);
        var variance = squares.DividedBy(n); // biased, as batch_norm normalises with

        var y = centred.mul(variance.Plus(bn.Eps).rsqrt().reshape(shape));
        if (bn.weight is not null) y = y.mul(bn.weight.reshape(shape));
        if (bn.bias is not null) y = y.Plus(bn.bias.reshape(shape));
        if (bn.running_mean is not null && bn.running_var is not null)
        {
            using var noGrad = no_grad();
            double m = bn.Momentum;
            bn.running_mean.mul_(Scalars.Float(1 - m)).add_(mean.detach(), Scalars.Float(m));
            var unbiased = n > 1 ? variance.detach().Times((double)n / (n - 1)) : variance.detach();
            bn.running_var.mul_(Scalars.Float(1 - m)).add_(unbiased, Scalars.Float(m));
        }
        if (y.dtype != input.dtype) y = y.to_type(input.dtype);
        return y.MoveToOuterDisposeScope();
    }

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
