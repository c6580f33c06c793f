using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Vicreg.Data;

/// <summary>
/// Batch tensors over recycled memory. A fresh batch tensor costs the kernel one page fault and one zeroed page per
/// 4 KiB (about 300 per 224-px image pair, over a millisecond of system time): that, not the copy, is what a loader
/// that allocates every batch pays on top of its workers. Here a batch tensor's storage is a block of the pinned
/// object heap; when libtorch frees the storage (the consumer disposed the batch and every view of it), the block
/// comes back and the next batch of that size is written into memory that is already mapped. A block whose storage
/// is still referenced anywhere is never handed out again, so recycling cannot change a batch.
/// A block is allocated only when none of its size is free, so the memory held is the most that was ever in flight;
/// at most <c>keep</c> free blocks of each size are kept, the rest go to the garbage collector. Thread-safe.
/// </summary>
/// <param name="keep">Free blocks kept per size.</param>
public sealed class BatchMemory(int keep)
{
    private readonly ConcurrentDictionary<(long Elements, Type Type), ConcurrentBag<Block>> _free = new();
    private int _allocated;

    // Storage handed to libtorch, by data address: the deleter libtorch calls gets only the address.
    private static readonly ConcurrentDictionary<nint, Block> Lent = new();

    /// <summary>An uninitialised contiguous CPU tensor of <paramref name="shape"/> (float32 or uint8) and its memory,
    /// for the workers to write into; the tensor reads that memory (no copy).</summary>
    public unsafe (Tensor Tensor, Memory<T> Memory) Rent<T>(long[] shape) where T : unmanaged
    {
        var type = typeof(T) == typeof(float) ? ScalarType.Float32
            : typeof(T) == typeof(byte) ? ScalarType.Byte
            : throw new NotSupportedException($"batch tensors of {typeof(T).Name}");
        long n = 1;
        foreach (long d in shape) n *= d;
        var bag = _free.GetOrAdd((n, typeof(T)), _ => new ConcurrentBag<Block>());
        if (!bag.TryTake(out var block))
        {
            block = new Block(this, bag, GC.AllocateUninitializedArray<T>(checked((int)n), pinned: true));
            Interlocked.Increment(ref _allocated);
        }
        var array = (T[])block.Array;
        nint data = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        Lent[data] = block;
        IntPtr handle;
        fixed (long* dims = shape)
            handle = THSTensor_new(data, &Released, (IntPtr)dims, shape.Length, (sbyte)type, (sbyte)type, 0, 0, 0);
        if (handle == IntPtr.Zero)
        {
            Lent.TryRemove(data, out _);
            bag.Add(block);
            throw new InvalidOperationException("libtorch could not wrap a batch buffer in a tensor");
        }
        return (Tensor.UnsafeCreateTensor(handle), array.AsMemory(0, (int)n));
    }

    /// <summary>Blocks allocated so far (all sizes): a consumer that releases its batches keeps this at the batches in flight.</summary>
    public int Allocated => Volatile.Read(ref _allocated);

    /// <summary>Free blocks held now (all sizes).</summary>
    public int FreeBlocks => _free.Values.Sum(b => b.Count);

    /// <summary>libtorch freed a storage: its block is free again. Runs on whichever thread dropped the last reference.</summary>
    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static void Released(IntPtr data)
    {
        if (Lent.TryRemove(data, out var block) && block.Bag.Count < block.Owner.Keep) block.Bag.Add(block);
    }

    private int Keep => keep;

    private sealed record Block(BatchMemory Owner, ConcurrentBag<Block> Bag, Array Array);

    // TorchSharp's own entry point for tensors over caller-owned memory (torch::from_blob with a deleter); its public
    // wrappers either copy or keep the deleter to themselves.
    [DllImport("LibTorchSharp")]
    private static extern unsafe IntPtr THSTensor_new(IntPtr rawArray, delegate* unmanaged[Cdecl]<IntPtr, void> deleter, IntPtr dimensions,
        int numDimensions, sbyte type, sbyte dtype, int deviceType, int deviceIndex, byte requiresGrad);
}
