using TorchSharp;
using static TorchSharp.torch;

namespace Vicreg.Training.Methods;

/// <summary>
/// SwAV's training state, a module of the model (state-dict keys swav.*) so that checkpoints hold it and resume is
/// bit-exact: the queue of past global embeddings (buffer <c>queue</c> [2, L, D] on the model's device; absent when
/// L = 0), and three host counters (<c>progress</c>: steps taken, steps per epoch, embeddings queued so far). The
/// counters live in a managed array that a CPU tensor shares: the state dict holds that tensor, so saving writes the
/// array and loading writes into it. The method thus reads them without a device read, and they stay on the CPU
/// when the model moves (the tensor is not a registered buffer, which <c>Module.to</c> would move).
/// </summary>
public sealed class SwavState : nn.Module
{
    private const string QueueBuffer = "queue";
    private const string ProgressKey = "progress";
    private readonly long[] counters = new long[3];
    private readonly Tensor progress;

    /// <param name="queueLength">L, past embeddings kept per global view (0: no queue).</param>
    /// <param name="width">D, the embedding width.</param>
    public SwavState(int queueLength, long width) : base(nameof(SwavState))
    {
        ArgumentOutOfRangeException.ThrowIfNegative(queueLength);
        QueueLength = queueLength;
        progress = from_array(counters).DetachFromDisposeScope(); // shares the array's memory
        if (queueLength > 0) register_buffer(QueueBuffer, zeros(2, queueLength, width).DetachFromDisposeScope());
    }

    public int QueueLength { get; }

    /// <summary>Optimizer steps taken so far (the global step of the next one).</summary>
    public long StepsTaken => counters[0];

    /// <summary>Steps per epoch, known after the first step (0 before it).</summary>
    public long StepsPerEpoch => counters[1];

    /// <summary>Embeddings pushed into each view's queue since it started, at most <see cref="QueueLength"/>.</summary>
    public long Queued => counters[2];

    /// <summary>The epoch the next step belongs to.</summary>
    public long Epoch => StepsPerEpoch > 0 ? StepsTaken / StepsPerEpoch : 0;

    /// <summary>The queue holds <see cref="QueueLength"/> embeddings (the official "last row is not zero").</summary>
    public bool QueueFull => QueueLength > 0 && Queued >= QueueLength;

    /// <summary>The queue [2, L, D] where the model is, looked up anew: <c>Module.to</c> replaces buffers.</summary>
    public Tensor Queue => QueueLength > 0 ? get_buffer(QueueBuffer)! : throw new InvalidOperationException("SwAV runs without a queue (method.queue_length = 0)");

    /// <summary>Records that step <paramref name="step"/> (0-based) of <paramref name="totalSteps"/> over
    /// <paramref name="epochs"/> epochs was taken.</summary>
    public void StepTaken(long step, long totalSteps, int epochs)
    {
        counters[0] = step + 1;
        counters[1] = Math.Max(1, totalSteps / Math.Max(1, epochs));
    }

    /// <summary>Puts each global view's ℓ2-normalised embeddings [B, D] at the front of its queue, dropping the oldest
    /// B (official: queue[i, B:] = queue[i, :-B]; queue[i, :B] = embedding_i).</summary>
    public void Push(IReadOnlyList<Tensor> embeddings)
    {
        if (embeddings.Count != 2) throw new ArgumentException($"one batch per global view; got {embeddings.Count}", nameof(embeddings));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var queue = Queue;
        long b = embeddings[0].shape[0], keep = QueueLength - b;
        if (keep < 0) throw new InvalidOperationException($"a batch of {b} does not fit a queue of {QueueLength}");
        for (int i = 0; i < 2; i++)
        {
            var q = queue.select(0, i);
            if (keep > 0) q.narrow(0, b, keep).copy_(q.narrow(0, 0, keep).clone());
            q.narrow(0, 0, b).copy_(embeddings[i].detach());
        }
        counters[2] = Math.Min(QueueLength, Queued + b);
    }

    /// <summary>Registers nothing by reflection: TorchSharp would register the counters' tensor field as a buffer,
    /// which <c>Module.to</c> then replaces by a copy on the device, cutting it from the array. The queue is
    /// registered by the constructor.</summary>
    protected override void RegisterComponents() { }

    /// <summary>The buffers and parameters, plus the host counters.</summary>
    public override Dictionary<string, Tensor> state_dict(Dictionary<string, Tensor>? destination = null, string? prefix = null)
    {
        destination = base.state_dict(destination, prefix);
        destination.TryAdd(string.IsNullOrEmpty(prefix) ? ProgressKey : $"{prefix}.{ProgressKey}", progress);
        return destination;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) progress.Dispose();
        base.Dispose(disposing);
    }
}
