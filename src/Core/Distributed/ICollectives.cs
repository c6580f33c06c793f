using static TorchSharp.torch;

namespace Vicreg.Core.Distributed;

/// <summary>
/// The collective operations that multi-process data parallelism needs, over one group of processes (ranks)
/// that all call them in the same order with tensors of the same shape and type. Backends: MPI for CPU tensors
/// (<see cref="MpiCollectives"/>), NCCL for CUDA tensors (<see cref="NcclCollectives"/>). Every rank computes
/// the same result; a rank that dies ends the job (the launcher's fault handling), so no call waits forever
/// on a dead peer.
/// </summary>
public interface ICollectives : IDisposable
{
    /// <summary>This process's rank, 0 … <see cref="World"/> − 1.</summary>
    int Rank { get; }

    /// <summary>How many ranks take part.</summary>
    int World { get; }

    /// <summary>For logs, e.g. "MPI (Open MPI v4.1.4), 2 ranks".</summary>
    string Description { get; }

    /// <summary>Replaces <paramref name="tensor"/> (contiguous; float32, float64 or int64) with the sum over ranks.</summary>
    void AllReduceSum(Tensor tensor);

    /// <summary>Every rank's <paramref name="tensor"/> (contiguous, the same shape everywhere) concatenated along
    /// dimension 0 in rank order: [World × rows, …].</summary>
    Tensor AllGather(Tensor tensor);

    /// <summary>Overwrites <paramref name="tensor"/> (contiguous, any type) with rank <paramref name="root"/>'s.</summary>
    void Broadcast(Tensor tensor, int root = 0);

    /// <summary>Returns once every rank has called it.</summary>
    void Barrier();

    /// <summary>What went over the wire so far (for the benchmark and the logs).</summary>
    CollectiveTraffic Traffic { get; }

    /// <summary>Ends every rank of the job with <paramref name="exitCode"/>: for a rank that cannot go on while the
    /// others would wait for it in the next collective. Does not return.</summary>
    void Abort(int exitCode);
}

/// <summary>Calls, payload bytes (this rank's buffer sizes: the input of an all-reduce or broadcast, the output of
/// an all-gather) and seconds spent inside collectives, since the group was created or last reset.</summary>
public sealed class CollectiveTraffic
{
    public long Calls { get; private set; }
    public long Bytes { get; private set; }
    public double Seconds { get; private set; }

    public void Add(long bytes, double seconds)
    {
        Calls++;
        Bytes += bytes;
        Seconds += seconds;
    }

    public void Reset() => (Calls, Bytes, Seconds) = (0, 0, 0);

    public (long Calls, long Bytes, double Seconds) Snapshot() => (Calls, Bytes, Seconds);
}
