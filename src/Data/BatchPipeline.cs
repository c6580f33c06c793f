using Vicreg.Data.Views;
using static TorchSharp.torch;

namespace Vicreg.Data;

/// <summary>
/// The worker side of <see cref="TwoViewBatches"/> for one epoch: N threads take (batch, slot) items in
/// order, decode and draw both views straight into the batch's tensors (one layout per branch; memory recycled from
/// released batches, <see cref="BatchMemory"/>), and never run more than <c>prefetch</c> batches ahead of the consumer,
/// so memory is bounded by (prefetch + the consumer's batch) × batch bytes + one decoded sample per worker.
/// </summary>
internal sealed class BatchPipeline : IDisposable
{
    private sealed class Pending
    {
        public required Tensor A, B;
        public required Memory<float> FloatsA, FloatsB; // the tensors' memory, written by the workers: floats,
        public required Memory<byte> BytesA, BytesB; // or bytes for the host part of a view the device finishes
        public required Memory<float>[] LocalMemory;
        public required DrawnImageView[]? DrawnA, DrawnB; // views the training device finishes: each row's draws
        public required Tensor[] Locals; // one [count·B, …] tensor per group of local views
        public required long[] Labels;
        public required int[] Indices;
        public required long Bytes;
        public int Remaining;
        public int Padded;
    }

    private readonly TwoViewBatches _owner;
    private readonly int[] _perm;
    private readonly int _epoch, _first, _end, _prefetch, _bs, _globalBs, _firstRow;
    private readonly long _perA, _perB, _batchBytes;
    private readonly long[] _shapeA, _shapeB;
    private readonly ImageViewRecipe? _deviceA, _deviceB;
    private readonly (long[] Shape, long Per, int Count)[] _locals;
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
        _bs = owner.LocalBatchSize; // rows this process builds of each global batch
        _globalBs = owner.BatchSize;
        _firstRow = owner.FirstRowInBatch;
        // A view the device finishes travels as its host part: bytes, a quarter of the floats.
        _deviceA = TwoViewBatches.OnDevice(owner.A);
        _deviceB = TwoViewBatches.OnDevice(owner.B);
        var viewA = _deviceA?.HostShape ?? owner.A.Recipe.TrainShape;
        var viewB = _deviceB?.HostShape ?? owner.B.Recipe.TrainShape;
        _shapeA = new long[] { _bs }.Concat(viewA).ToArray();
        _shapeB = new long[] { _bs }.Concat(viewB).ToArray();
        _perA = ViewShapes.Elements(viewA);
        _perB = ViewShapes.Elements(viewB);
        _locals = owner.LocalGroups.Select(g => (new long[] { g.Crops.Count * (long)_bs }.Concat(g.Crops.Recipe.TrainShape).ToArray(),
            ViewShapes.Elements(g.Crops.Recipe.TrainShape), g.Crops.Count)).ToArray();
        _batchBytes = _bs * (_perA * (_deviceA is null ? sizeof(float) : 1) + _perB * (_deviceB is null ? sizeof(float) : 1)
            + _locals.Sum(l => l.Count * l.Per) * sizeof(float));
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
        var locals = _locals.Length == 0 ? null : p.Locals.Select((t, g) => new LocalViews(_owner.LocalGroups[g].BranchB, _locals[g].Count, t)).ToArray();
        return new TwoViewBatch(p.A, p.B, tensor(p.Labels), p.Indices, p.Padded, locals)
        {
            StageA = _deviceA is null ? null : new DeviceViewStage(_deviceA.Train, _deviceA.Channels, p.DrawnA!),
            StageB = _deviceB is null ? null : new DeviceViewStage(_deviceB.Train, _deviceB.Channels, p.DrawnB!),
        };
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
                        long bytes = _batchBytes;
                        var (a, floatsA, bytesA) = Rent(_shapeA, _deviceA is not null);
                        var (b, floatsB, bytesB) = Rent(_shapeB, _deviceB is not null);
                        var locals = _locals.Select(l => _owner.Memory.Rent<float>(l.Shape)).ToArray();
                        p = new Pending
                        {
                            A = a, B = b, FloatsA = floatsA, FloatsB = floatsB, BytesA = bytesA, BytesB = bytesB,
                            DrawnA = _deviceA is null ? null : new DrawnImageView[_bs],
                            DrawnB = _deviceB is null ? null : new DrawnImageView[_bs],
                            Locals = locals.Select(l => l.Tensor).ToArray(),
                            LocalMemory = locals.Select(l => l.Memory).ToArray(),
                            Labels = new long[_bs], Indices = new int[_bs],
                            Bytes = bytes, Remaining = _bs,
                        };
                        _pending[batch] = p;
                        _owner.Reserve(bytes);
                    }
                }
                // Local view j of slot k is row j·B + k of its group (view-major).
                TwoViewBatches.LocalSlot? local = _locals.Length == 0 ? null : (g, j) => p.LocalMemory[g].Span.Slice((int)((j * _bs + k) * _locals[g].Per), (int)_locals[g].Per);
                if (_owner.Fill(_perm, _epoch, batch * _globalBs + _firstRow + k, Slot(p.FloatsA, p.BytesA, p.DrawnA, k, _perA), Slot(p.FloatsB, p.BytesB, p.DrawnB, k, _perB), local, out p.Labels[k], out p.Indices[k]))
                    Interlocked.Increment(ref p.Padded);
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

    /// <summary>A branch's batch tensor from the loader's recycled memory: floats, or bytes for the host part of a view
    /// the training device finishes.</summary>
    private (Tensor, Memory<float>, Memory<byte>) Rent(long[] shape, bool hostPart)
    {
        if (hostPart)
        {
            var (t, bytes) = _owner.Memory.Rent<byte>(shape);
            return (t, default, bytes);
        }
        var (f, floats) = _owner.Memory.Rent<float>(shape);
        return (f, floats, default);
    }

    /// <summary>Row <paramref name="k"/> of a branch's batch: floats, or the host part's bytes with the row of its draws.</summary>
    private static ViewSlot Slot(Memory<float> floats, Memory<byte> bytes, DrawnImageView[]? drawn, int k, long per) =>
        drawn is null ? new ViewSlot(floats.Span.Slice((int)(k * per), (int)per))
            : new ViewSlot(bytes.Span.Slice((int)(k * per), (int)per), drawn, k);

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
                foreach (var l in p.Locals) l.Dispose();
                _owner.Release(p.Bytes);
            }
            _pending.Clear();
        }
    }
}
