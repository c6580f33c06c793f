using Vicreg.Core.Distributed;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training.Distributed;

/// <summary>One rank of a group whose other ranks are exact copies of it, in process (no MPI): an all-gather repeats
/// this rank's tensor, an all-reduce multiplies by the world size, a broadcast keeps it. For what a rank other than 0
/// does, without launching any.</summary>
internal sealed class SelfPeers(int rank, int world) : ICollectives
{
    public int Rank => rank;
    public int World => world;
    public string Description => $"{world} identical ranks in process";
    public CollectiveTraffic Traffic { get; } = new();

    public void AllReduceSum(Tensor tensor) => tensor.mul_(world);

    public Tensor AllGather(Tensor tensor) => cat(Enumerable.Repeat(tensor, world).ToArray(), 0);

    public void Broadcast(Tensor tensor, int root = 0) { }

    public void Barrier() { }

    public void Abort(int exitCode) => throw new InvalidOperationException($"rank {rank} aborted the group with exit code {exitCode}");

    public void Dispose() { }
}
