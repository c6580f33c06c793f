using Vicreg.Losses;
using TorchSharp;
using Vicreg.Core;
using Vicreg.Core.Distributed;
using Vicreg.Training.Execution;
using Vicreg.Training.Methods;
using Vicreg.Training.Model;
using Vicreg.Training.Precision;
using static TorchSharp.torch;

namespace Vicreg.Training.Distributed;

/// <summary>
/// One rank of multi-process data parallelism (PyTorch's DDP with the official VICReg FullGatherLayer): this
/// process holds a full model and runs its slice of the global batch; the embeddings are all-gathered so the
/// loss (variance and covariance included) is the global batch's, identical on every rank; batch norm takes
/// global statistics (SyncBatchNorm); after the backward the gradients are summed over ranks in a few flat
/// buckets and divided by the world size. Every rank's optimizer then takes the same step, so the weights stay
/// identical without being copied again. At the first step every rank checks that it starts from the same
/// weights as rank 0 (the same checkpoint, or the same seed) and then takes rank 0's weights and buffers.
/// </summary>
public sealed class DistributedExecutor : IStepExecutor
{
    /// <summary>DDP's default bucket size: large enough for few calls, small enough to bound the copy buffers.</summary>
    public const long BucketBytes = 25L << 20;

    private readonly JointEmbedding model;
    private readonly IMethod method;
    private readonly Device device;
    private readonly PrecisionPolicy precision;
    private readonly ICollectives group;
    private readonly ICollectives hostGroup;
    private readonly Tensor[] parameters;
    private readonly Tensor[][] buckets;
    private readonly StableBatchNorm[] norms;
    private readonly IBatchNormSync? normSync;
    private readonly CancellationToken localStop;
    private readonly CancellationTokenSource agreedStop = new();
    private bool started;

    /// <param name="group">The collectives for tensors on <paramref name="device"/> (MPI on CPU, NCCL on CUDA).</param>
    /// <param name="localStop">This rank's stop request (a signal); every rank learns of it at the same step through
    /// <see cref="AgreedStop"/>.</param>
    public DistributedExecutor(JointEmbedding model, IMethod method, Device device, PrecisionPolicy precision,
        ICollectives group, bool syncBatchNorm = true, CancellationToken localStop = default)
    {
        this.model = model;
        this.method = method;
        this.device = device;
        this.precision = precision;
        this.group = group;
        hostGroup = group is NcclCollectives nccl ? nccl.Bootstrap : group;
        this.localStop = localStop;
        parameters = model.parameters().Where(p => p.requires_grad).Select(p => (Tensor)p).ToArray();
        buckets = Bucket(parameters, BucketBytes);
        norms = model.modules().OfType<StableBatchNorm>().ToArray();
        normSync = syncBatchNorm ? new ProcessBatchNormSync(group) : null;
    }

    public string Description => $"{device}, rank {group.Rank} of {group.World} ({group.Description}{(normSync is null ? "" : ", synchronised batch norm")}), {precision}";

    /// <summary>Cancelled on every rank after the same step once any rank's local stop was requested.</summary>
    public CancellationToken AgreedStop => agreedStop.Token;

    public ICollectives Group => group;

    /// <summary>Gradient all-reduce calls per step (one per bucket).</summary>
    public int Buckets => buckets.Length;

    public LossTerms LossAndGradients(Tensor viewA, Tensor viewB)
    {
        if (!started) StartFromRankZero();
        var a = precision.Input(viewA.to(device));
        var b = precision.Input(viewB.to(device));
        Tensor za, zb;
        foreach (var bn in norms) bn.Sync = normSync;
        try
        {
            using (precision.Forward(device))
                (za, zb) = model.call(a, b);
        }
        finally
        {
            foreach (var bn in norms) bn.Sync = null; // eval-time and hook forwards must not wait for peers
        }
        var globalA = FullGather.Apply(PrecisionPolicy.ForLoss(za), group);
        var globalB = FullGather.Apply(PrecisionPolicy.ForLoss(zb), group);
        var loss = method.Loss(new EmbeddingsOnlyPass(globalA, globalB, "multi-process training"));
        loss.Total.backward(); // the batch-norm and gather backwards run their all-reduces here
        AverageGradients();
        return loss;
    }

    /// <summary>Checks that every rank holds rank 0's weights (a different checkpoint on some rank would silently
    /// train a different run), then takes rank 0's weights and buffers bit for bit.</summary>
    public void StartFromRankZero()
    {
        if (started) return;
        started = true;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var all = model.parameters().Select(p => (Tensor)p).ToArray();
        var fingerprint = stack(all.Select(p => p.to_type(ScalarType.Float64).abs().sum()).ToArray()).sum().reshape(1).cpu(); // host read: once, before the first step
        var values = hostGroup.AllGather(fingerprint).data<double>().ToArray(); // host read: a host tensor gathered over the host group
        for (int r = 1; r < values.Length; r++)
            if (Math.Abs(values[r] - values[0]) > 1e-9 * Math.Max(1, Math.Abs(values[0])))
                throw new InvalidOperationException(
                    $"rank {r} starts from other weights than rank 0 (Σ|w| {values[r]:G9} against {values[0]:G9}): the ranks resumed from different checkpoints; every rank must see rank 0's run folder (a shared filesystem) and the same config");
        // Weights and buffers in flat buckets per type: a few calls instead of one per tensor.
        foreach (var sameType in all.Concat(model.buffers()).GroupBy(t => t.dtype))
            foreach (var bucket in Bucket(sameType.ToArray(), BucketBytes))
            {
                var flat = cat(bucket.Select(t => t.reshape(-1)).ToArray(), 0);
                group.Broadcast(flat, 0);
                long offset = 0;
                foreach (var t in bucket)
                {
                    t.copy_(flat.narrow(0, offset, t.numel()).view(t.shape));
                    offset += t.numel();
                }
            }
    }

    /// <summary>Sums every rank's gradients in one all-reduce per bucket and divides by the world size (DDP's
    /// mean); then the ranks agree on whether any of them was asked to stop.</summary>
    public void AverageGradients()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        for (int k = 0; k < buckets.Length; k++)
        {
            var members = buckets[k];
            var pieces = members.Select(p => p.grad is { } g ? g.reshape(-1) : zeros(p.numel(), ScalarType.Float32, device)).ToList();
            var flat = cat(pieces.Select(t => t.to_type(ScalarType.Float32)).ToArray(), 0);
            group.AllReduceSum(flat);
            long offset = 0;
            foreach (var p in members)
            {
                long n = p.numel();
                if (p.grad is { } g) g.copy_(flat.narrow(0, offset, n).view(g.shape).div(Scalars.Float(group.World)));
                offset += n;
            }
        }
        AgreeOnStop();
    }

    /// <summary>Every rank learns after the same step whether any rank's stop was requested. The flag is a host
    /// value summed over the host group (MPI), so reading it never waits for the GPU.</summary>
    private void AgreeOnStop()
    {
        using var flag = full(1, Scalars.Float(localStop.IsCancellationRequested ? 1f : 0f), ScalarType.Float32);
        hostGroup.AllReduceSum(flag);
        if (flag.item<float>() > 0) agreedStop.Cancel(); // host read: a host tensor, no device synchronisation
    }

    /// <summary>Consecutive parameters in buckets of at most <paramref name="cap"/> bytes (a larger parameter
    /// gets a bucket of its own).</summary>
    public static Tensor[][] Bucket(IReadOnlyList<Tensor> parameters, long cap)
    {
        var result = new List<Tensor[]>();
        var current = new List<Tensor>();
        long bytes = 0;
        foreach (var p in parameters)
        {
            long size = p.numel() * 4;
            if (current.Count > 0 && bytes + size > cap)
            {
                result.Add(current.ToArray());
                current.Clear();
                bytes = 0;
            }
            current.Add(p);
            bytes += size;
        }
        if (current.Count > 0) result.Add(current.ToArray());
        return result.ToArray();
    }

    public void Dispose()
    {
        agreedStop.Dispose();
        if (group is NcclCollectives) group.Dispose(); // the communicator; the MPI group is the process's
    }
}
