using Vicreg.Losses;
using TorchSharp;
using Vicreg.Core;
using Vicreg.Training.Execution;
using Vicreg.Training.Methods;
using Vicreg.Training.Model;
using Vicreg.Training.Precision;
using static TorchSharp.torch;

namespace Vicreg.Training.DataParallel;

/// <summary>
/// Single-node data parallelism in one process: one replica of the joint embedding per device, each on
/// its slice of the global batch, on its own thread. The embeddings are gathered onto the main device
/// with a differentiable copy and the loss is computed once, on the global batch, in float32, as the
/// paper's loss requires (variance and covariance are batch statistics). One backward then reaches every
/// replica through the copies. Replica gradients are partial derivatives of that one loss, so they are
/// summed onto the main model (this is what DDP's all-reduce mean computes when, as in the official
/// FullGatherLayer, every rank's gradient of the gathered embeddings is the sum over ranks). The one
/// optimizer steps the main model, and its weights and buffers are copied to the replicas before the
/// next forward. Batch norm is synchronised across replicas by default (the official code converts to
/// SyncBatchNorm), which makes a step equal to a single-device step on the same global batch.
/// </summary>
public sealed class DataParallelExecutor : IStepExecutor
{
    private readonly JointEmbedding main;
    private readonly JointEmbedding[] replicas; // [0] is main
    private readonly Device[] devices;
    private readonly IMethod method;
    private readonly PrecisionPolicy precision;
    private readonly Tensor[][] parameters; // [replica][i]
    private readonly Tensor[][] buffers;
    private readonly StableBatchNorm[][] norms; // [replica][layer]
    private readonly SyncBatchNormGroup[] groups;

    /// <param name="main">The model the optimizer steps, already on <paramref name="devices"/>[0].</param>
    /// <param name="buildReplica">Builds a model of the same architecture (its weights are overwritten).</param>
    /// <param name="devices">One replica per entry; the first is the main device. The same device may appear twice.</param>
    public DataParallelExecutor(JointEmbedding main, Func<JointEmbedding> buildReplica, IReadOnlyList<Device> devices,
        IMethod method, PrecisionPolicy? precision = null, bool syncBatchNorm = true)
    {
        if (devices.Count < 1) throw new ArgumentException("data parallelism needs at least one device", nameof(devices));
        this.main = main;
        this.devices = devices.ToArray();
        this.method = method;
        this.precision = precision ?? PrecisionPolicy.Fp32;
        replicas = new JointEmbedding[devices.Count];
        replicas[0] = main;
        var dtype = main.parameters().First().dtype; // a replica is a copy of the main model: its dtype too, not the default
        for (int r = 1; r < replicas.Length; r++)
        {
            replicas[r] = buildReplica();
            replicas[r].to(this.devices[r], dtype);
        }
        parameters = replicas.Select(m => m.parameters().ToArray()).ToArray();
        buffers = replicas.Select(m => m.buffers().ToArray()).ToArray();
        for (int r = 1; r < replicas.Length; r++)
            if (parameters[r].Length != parameters[0].Length || buffers[r].Length != buffers[0].Length
                || parameters[r].Zip(parameters[0]).Any(p => !p.First.shape.SequenceEqual(p.Second.shape)))
                throw new ArgumentException("buildReplica made a model that differs from the main one");
        norms = replicas.Select(m => m.modules().OfType<StableBatchNorm>().ToArray()).ToArray();
        groups = syncBatchNorm ? norms[0].Select(_ => new SyncBatchNormGroup(replicas.Length)).ToArray() : Array.Empty<SyncBatchNormGroup>();
        SyncBatchNorm = syncBatchNorm;
        Broadcast();
    }

    public int Replicas => replicas.Length;

    /// <summary>Seconds and bytes spent copying weights and buffers to the replicas and summing their gradients
    /// onto the main model, over all steps so far (the cost that multi-process training replaces by an all-reduce).</summary>
    public (double Seconds, long Bytes) CopyCost => (copySeconds, copyBytes);
    private double copySeconds;
    private long copyBytes;

    /// <summary>The device of each replica (the first is the main one).</summary>
    public IReadOnlyList<Device> Devices => devices;
    public bool SyncBatchNorm { get; }
    public string Description => $"{string.Join("+", devices.Select(d => d.ToString()))} (data parallel{(SyncBatchNorm ? ", synchronised batch norm" : "")}), {precision}";

    /// <summary>The replica on device <paramref name="rank"/> (0 is the main model).</summary>
    public JointEmbedding Replica(int rank) => replicas[rank];

    public LossTerms LossAndGradients(Tensor viewA, Tensor viewB)
    {
        long n = viewA.shape[0];
        if (n < replicas.Length) throw new ArgumentException($"a batch of {n} cannot be split over {replicas.Length} replicas");
        var copyClock = System.Diagnostics.Stopwatch.StartNew();
        Broadcast();
        copySeconds += copyClock.Elapsed.TotalSeconds;
        foreach (var m in replicas) m.train(main.training);
        var slicesA = viewA.tensor_split(replicas.Length, 0);
        var slicesB = viewB.tensor_split(replicas.Length, 0);
        var outputs = new (Tensor A, Tensor B)[replicas.Length];
        RunReplicas(r =>
        {
            using var scope = NewDisposeScope();
            var a = precision.Input(DeviceTransfer.ToDevice(slicesA[r], devices[r]));
            var b = precision.Input(DeviceTransfer.ToDevice(slicesB[r], devices[r]));
            Tensor za, zb;
            using (precision.Forward(devices[r]))
                (za, zb) = replicas[r].call(a, b);
            outputs[r] = (za.DetachFromDisposeScope(), zb.DetachFromDisposeScope());
        });
        Tensor gatheredA, gatheredB;
        try
        {
            gatheredA = cat(outputs.Select(o => PrecisionPolicy.ForLoss(o.A.to(devices[0]))).ToArray(), 0);
            gatheredB = cat(outputs.Select(o => PrecisionPolicy.ForLoss(o.B.to(devices[0]))).ToArray(), 0);
        }
        finally
        {
            foreach (var (a, b) in outputs) { a?.Dispose(); b?.Dispose(); }
        }
        var loss = method.Loss(new EmbeddingsOnlyPass(gatheredA, gatheredB, "data parallelism")); // configs are refused earlier (MethodCapabilities.DataParallel)
        loss.Total.backward();
        copyClock.Restart();
        ReduceGradients();
        copySeconds += copyClock.Elapsed.TotalSeconds;
        return loss;
    }

    /// <summary>Runs the forward of every replica on its own thread; the first failure is rethrown after all stopped.</summary>
    private void RunReplicas(Action<int> forward)
    {
        using var barrier = new ReplicaBarrier(replicas.Length);
        foreach (var g in groups) g.Barrier = barrier;
        if (SyncBatchNorm)
            for (int r = 0; r < replicas.Length; r++)
                for (int l = 0; l < norms[r].Length; l++) norms[r][l].Sync = groups[l].Member(r);
        var errors = new Exception?[replicas.Length];
        try
        {
            var threads = Enumerable.Range(0, replicas.Length).Select(r => new Thread(() =>
            {
                try { forward(r); }
                catch (Exception e) { errors[r] = e; barrier.Abort(); }
            }) { IsBackground = true, Name = $"replica {r}" }).ToArray();
            foreach (var t in threads) t.Start();
            foreach (var t in threads) t.Join();
        }
        finally
        {
            foreach (var replicaNorms in norms)
                foreach (var bn in replicaNorms) bn.Sync = null; // a training-mode forward outside a step must not wait for peers
            foreach (var g in groups) g.Barrier = null;
        }
        var first = errors.FirstOrDefault(e => e is not null and not OperationCanceledException) ?? errors.FirstOrDefault(e => e is not null);
        if (first is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
    }

    /// <summary>Sums every replica's gradients onto the main model's, then clears the replicas'.</summary>
    private void ReduceGradients()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        for (int i = 0; i < parameters[0].Length; i++)
        {
            var target = parameters[0][i].grad;
            for (int r = 1; r < replicas.Length; r++)
            {
                var g = parameters[r][i].grad;
                if (g is null) continue;
                if (target is null)
                    throw new InvalidOperationException($"parameter {i} has a gradient on replica {r} but not on the main model");
                target.PlusInPlace(g.to(devices[0]));
                copyBytes += g.numel() * g.ElementSize;
                g.zero_();
            }
        }
    }

    /// <summary>Copies the main model's weights and buffers (batch-norm statistics) to every replica.</summary>
    public void Broadcast()
    {
        using var noGrad = no_grad();
        for (int r = 1; r < replicas.Length; r++)
        {
            for (int i = 0; i < parameters[0].Length; i++) parameters[r][i].copy_(parameters[0][i]);
            for (int i = 0; i < buffers[0].Length; i++) buffers[r][i].copy_(buffers[0][i]);
            copyBytes += parameters[0].Sum(p => p.numel() * p.ElementSize) + buffers[0].Sum(b => b.numel() * b.ElementSize);
        }
    }

    public void Dispose()
    {
        for (int r = 1; r < replicas.Length; r++) replicas[r].Dispose();
    }
}
