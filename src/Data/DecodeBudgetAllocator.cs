using System.Buffers;
using System.Runtime.CompilerServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Memory;

namespace Vicreg.Data;

/// <summary>
/// ImageSharp's memory allocator with a budget per decode: the pixel limit bounds one frame, but an animated
/// GIF, a multi-page TIFF or a corrupt header can make a decoder allocate frame after frame. While a budget is
/// open on a thread (<see cref="Open"/>), the buffers that thread's decoder allocates are summed, and the
/// allocation that would pass the budget throws instead. Outside a decode there is no limit.
/// </summary>
internal sealed class DecodeBudgetAllocator(MemoryAllocator inner) : MemoryAllocator
{
    [ThreadStatic] private static long t_used;
    [ThreadStatic] private static long t_limit;

    // The decoders ask for one contiguous buffer per image (PreferContiguousImageBuffers); the inner
    // allocator serves any size up to this.
    protected override int GetBufferCapacityInBytes() => int.MaxValue;

    public override IMemoryOwner<T> Allocate<T>(int length, AllocationOptions options = AllocationOptions.None)
    {
        if (t_limit > 0)
        {
            long bytes = (long)length * Unsafe.SizeOf<T>();
            if (t_used + bytes > t_limit)
                throw new InvalidImageContentException(
                    $"decoding needs more than {t_limit / (1 << 20):N0} MiB, the budget for an image of this size (animated or multi-page files count every frame)");
            t_used += bytes;
        }
        return inner.Allocate<T>(length, options);
    }

    public override void ReleaseRetainedResources() => inner.ReleaseRetainedResources();

    /// <summary>Opens a budget of <paramref name="limitBytes"/> on this thread; disposing it closes the budget
    /// and reports the bytes allocated under it.</summary>
    public static Scope Open(long limitBytes) => new(limitBytes);

    public readonly struct Scope : IDisposable
    {
        public Scope(long limit)
        {
            t_used = 0;
            t_limit = limit;
        }

        /// <summary>Bytes allocated so far under this budget.</summary>
        public long Used => t_used;

        public void Dispose() => t_limit = 0;
    }
}
