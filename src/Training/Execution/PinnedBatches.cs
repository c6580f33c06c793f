using TorchSharp;
using Vicreg.Data;
using static TorchSharp.torch;

namespace Vicreg.Training.Execution;

/// <summary>
/// Feeds a GPU: copies each batch of a source into page-locked (pinned) host memory on a background task,
/// one batch ahead, so that the step's host → device copy can be non-blocking
/// (<see cref="DeviceTransfer"/>) and the pinning memcpy stays off the step's path. The source's
/// own workers already prepare the following batches. For a CPU device the source is returned unchanged.
/// </summary>
public sealed class PinnedBatches : IViewPairSource
{
    private readonly IViewPairSource inner;
    private readonly Func<Tensor, Tensor> pin;

    /// <param name="pin">The copy into pinned memory (replaceable so that tests run without CUDA).</param>
    public PinnedBatches(IViewPairSource inner, Func<Tensor, Tensor>? pin = null)
    {
        this.inner = inner;
        this.pin = pin ?? (t => t.pin_memory());
    }

    /// <summary><paramref name="source"/> pinned for <paramref name="device"/>, or unchanged when it is not a GPU.</summary>
    public static IViewPairSource For(IViewPairSource source, Device device) =>
        device.type == DeviceType.CUDA ? new PinnedBatches(source) : source;

    public int BatchesPerEpoch => inner.BatchesPerEpoch;
    public int SkippedFiles => inner.SkippedFiles;
    public string Describe(int index) => inner.Describe(index);

    public IEnumerable<TwoViewBatch> Epoch(int epoch, int skipBatches = 0)
    {
        using var batches = inner.Epoch(epoch, skipBatches).GetEnumerator();
        Task<TwoViewBatch?>? next = Task.Run(() => PinNext(batches)); // the enumerator is only ever used by one task at a time
        try
        {
            while (true)
            {
                var current = next.GetAwaiter().GetResult();
                next = null;
                if (current is null) yield break;
                next = Task.Run(() => PinNext(batches));
                yield return current;
            }
        }
        finally
        {
            if (next is not null)
            {
                try { next.GetAwaiter().GetResult()?.Dispose(); }
                catch { /* the consumer stopped; a failed prefetch has nothing to release */ }
            }
        }
    }

    private TwoViewBatch? PinNext(IEnumerator<TwoViewBatch> batches)
    {
        if (!batches.MoveNext()) return null;
        var raw = batches.Current;
        var done = new List<Tensor>();
        Tensor Pin(Tensor t)
        {
            var p = pin(t);
            done.Add(p);
            return p;
        }
        try
        {
            var pinned = raw with // labels and indices carried over
            {
                ViewA = Pin(raw.ViewA), ViewB = Pin(raw.ViewB),
                Locals = raw.Locals.Select(l => l with { Views = Pin(l.Views) }).ToArray(),
            };
            raw.ViewA.Dispose();
            raw.ViewB.Dispose();
            foreach (var l in raw.Locals) l.Views.Dispose();
            return pinned;
        }
        catch
        {
            foreach (var t in done) t.Dispose();
            raw.Dispose();
            throw;
        }
    }
}
