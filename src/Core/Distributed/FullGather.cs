using TorchSharp;
using static TorchSharp.torch;

namespace Vicreg.Core.Distributed;

/// <summary>
/// The official VICReg FullGatherLayer: the forward all-gathers every rank's embeddings into the global batch;
/// the backward all-reduces (sums) the gradient of the gathered tensor and keeps this rank's rows. Every rank
/// computes the same loss on the same global batch, so the sum is World × the gradient; the gradient all-reduce
/// divides by World again, as DDP's mean does.
/// </summary>
public sealed class FullGather : autograd.SingleTensorFunction<FullGather>
{
    public override string Name => "FullGather";

    /// <summary>[rows, …] on every rank → [World × rows, …], rank order, differentiable.</summary>
    public static Tensor Apply(Tensor local, ICollectives group) => apply(local, group);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var local = (Tensor)vars[0];
        var group = (ICollectives)vars[1];
        ctx.save_data("group", group);
        ctx.save_data("rows", local.shape[0]);
        return group.AllGather(local.contiguous());
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var group = (ICollectives)ctx.get_data("group");
        long rows = (long)ctx.get_data("rows");
        var summed = gradOutput.contiguous().clone();
        group.AllReduceSum(summed);
        return new List<Tensor> { summed.narrow(0, group.Rank * rows, rows).contiguous(), null! };
    }
}

/// <summary>A differentiable all-reduce sum (batch-norm statistics across ranks): the gradient of every rank's
/// copy of the sum reaches every rank's input, so the backward is an all-reduce sum too.</summary>
public sealed class AllReduceSum : autograd.SingleTensorFunction<AllReduceSum>
{
    public override string Name => "AllReduceSum";

    public static Tensor Apply(Tensor local, ICollectives group) => apply(local, group);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var group = (ICollectives)vars[1];
        ctx.save_data("group", group);
        var sum = ((Tensor)vars[0]).contiguous().clone();
        group.AllReduceSum(sum);
        return sum;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var group = (ICollectives)ctx.get_data("group");
        var summed = gradOutput.contiguous().clone();
        group.AllReduceSum(summed);
        return new List<Tensor> { summed, null! };
    }
}
