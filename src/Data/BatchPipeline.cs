using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Vicreg.Data;

/// <summary>
/// The worker side of <see cref="TwoViewBatches"/> for one epoch: N threads take (batch, slot) items in
/// order, decode and augment straight into the batch's tensors, and never run more than
/// <c>prefetch</c> batches ahead of the consumer, so memory is bounded by
/// (prefetch + the consumer's batch) × batch bytes + one decoded image per worker.
/// </summary>
internal sealed class BatchPipeline : IDisposable
{
    private sealed class Pending
    {
        public required Tensor A, B;
        public required long[] Labels;
        public required int[] Indices;
        public required long Bytes;
        public int Remaining;
    }

    private readonly TwoViewBatches _owner;
    private readonly int[] _perm;
    private readonly int _epoch, _first, _end, _prefetch, _bs, _per;
    private readonly object _lock = new();
    private readonly Dictionary<int, Pending> _pending = new();
    private readonly List<Thread> _threads = new();
    private long _nextItem = -1;
    private int _taken; // batches handed to the consumer
    private bool _stopped;
    private Exception? _error;

    public BatchPipeline(TwoViewBatches owner, int[] perm, int epoch, int first, int end, int workers, int prefetch)
    {
        _owner = owner;
        _perm = perm;
        _epoch = epoch;
        _first = first;
        _end = end;
        _prefetch = prefetch;
        _bs = owner.BatchSize;
        _per = 3 * owner.ViewSize * owner.ViewSize;
        _taken = first;
        for (int w = 0; w < workers; w++)
        {
            var t = new Thread(Work) { IsBackground = true, Name = $"vicreg-loader-{w}" };
            _threads.Add(t);
            t.Start();
        }
    }

    /// <summary>Waits for batch <paramref name="b"/> (taken in order) and hands it over.</summary>
    public TwoViewBatch Take(int b)
    {
        Pending p;
        lock (_lock)
        {
            while (true)
            {
                if (_error is not null) throw new InvalidDataException(_error.Message, _error);
                if (_pending.TryGetValue(b, out var q) && q.Remaining == 0) { p = q; break; }
                Monitor.Wait(_lock);
            }
            _pending.Remove(b);
            _taken = b + 1;
            _owner.Release(p.Bytes);
            Monitor.PulseAll(_lock);
        }
        return new TwoViewBatch(p.A, p.B, tensor(p.Labels), p.Indices);
    }

    private void Work()
    {
        try
        {
            while (true)
            {
                long item = Interlocked.Increment(ref _nextItem);
                int batch = _first + (int)(item / _bs), k = (int)(item % _bs);
                if (batch >= _end) return;
                Pending p;
                lock (_lock)
                {
                    // Bounded: never more than _prefetch batches ahead of the consumer.
                    while (!_stopped && batch >= _taken + _prefetch) Monitor.Wait(_lock);
                    if (_stopped) return;
                    if (!_pending.TryGetValue(batch, out p!))
                    {
                        long bytes = 2L * _bs * _per * sizeof(float);
                        var shape = new long[] { _bs, 3, _owner.ViewSize, _owner.ViewSize };
                        p = new Pending
                        {
                            A = empty(shape), B = empty(shape), Labels = new long[_bs], Indices = new int[_bs],
                            Bytes = bytes, Remaining = _bs,
                        };
                        _pending[batch] = p;
                        _owner.Reserve(bytes);
                    }
                }
                _owner.Fill(_perm, _epoch, batch * _bs + k, Slot(p.A, k), Slot(p.B, k), out p.Labels[k], out p.Indices[k]);
                if (Interlocked.Decrement(ref p.Remaining) == 0)
                    lock (_lock) Monitor.PulseAll(_lock);
            }
        }
        catch (Exception e)
        {
            lock (_lock)
            {
                _error ??= e;
                Monitor.PulseAll(_lock);
            }
        }
    }

    /// <summary>Slot <paramref name="k"/> of a contiguous [B,3,S,S] float tensor, as a span over its memory.</summary>
    private Span<float> Slot(Tensor t, int k)
    {
        var all = MemoryMarshal.Cast<byte, float>(t.bytes);
        return all.Slice(k * _per, _per);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _stopped = true;
            Monitor.PulseAll(_lock);
        }
        foreach (var t in _threads) t.Join();
        lock (_lock)
        {
            foreach (var p in _pending.Values)
            {
                p.A.Dispose();
                p.B.Dispose();
                _owner.Release(p.Bytes);
            }
            _pending.Clear();
        }
    }
}
