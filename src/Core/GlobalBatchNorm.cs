using TorchSharp;
using static TorchSharp.torch;

namespace Vicreg.Core;

/// <summary>
/// PyTorch's SyncBatchNorm arithmetic, whatever carries the sums: each replica contributes per-channel sums of
/// its rows, and all normalise with the mean and biased variance of the global batch (what one device computes on
/// the whole batch), in float32, updating the running statistics with the unbiased variance. The exchange is a
/// differentiable sum (threads in one process, or ranks through an all-reduce), so one backward reaches every
/// replica's input through the global statistics.
/// </summary>
public static class GlobalBatchNorm
{
    /// <summary>Sums a per-channel tensor and a row count over all replicas (differentiably).</summary>
    public delegate (Tensor Sum, long Rows) SumOverReplicas(Tensor mine, long rows);

    public static Tensor Normalize(StableBatchNorm bn, Tensor input, SumOverReplicas sumOverReplicas)
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
        var x = input.dtype == ScalarType.Float32 ? input : input.to_type(ScalarType.Float32); // statistics in fp32
        long rows = input.numel() / channels;

        var (sum, n) = sumOverReplicas(x.sum(reduce), rows);
        var mean = sum.DividedBy(n);
        var centred = x.Minus(mean.reshape(shape));
        var (squares, _) = sumOverReplicas(centred.mul(centred).sum(reduce), rows);
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
}
