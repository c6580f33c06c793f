namespace Vicreg.Training.DataParallel;

/// <summary>
/// The meeting point of the replica threads during one step. Every replica calls its batch-norm layers in
/// the same order, so one barrier serves all of them. When a replica fails, <see cref="Abort"/> releases
/// the others (they throw <see cref="OperationCanceledException"/>) instead of leaving them waiting.
/// </summary>
internal sealed class ReplicaBarrier : IDisposable
{
    private readonly Barrier barrier;
    private readonly CancellationTokenSource abort = new();

    public ReplicaBarrier(int replicas) => barrier = new Barrier(replicas);

    public void Wait() => barrier.SignalAndWait(abort.Token);

    public void Abort() => abort.Cancel();

    public void Dispose()
    {
        barrier.Dispose();
        abort.Dispose();
    }
}
