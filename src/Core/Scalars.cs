using System.Collections.Concurrent;
using TorchSharp;

namespace Vicreg.Core;

/// <summary>
/// Scalars that outlive every native call they are passed to.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 passes a <see cref="Scalar"/>'s raw handle to libtorch without keeping the object
/// alive, and <see cref="Scalar"/> has a finalizer. A temporary scalar (an implicit conversion such as
/// <c>x * 2.0</c>, or the hidden <c>alpha = 1</c> of <c>x + y</c> and of BatchNorm's
/// <c>num_batches_tracked.add_(1)</c>) can therefore be freed by the finalizer thread while libtorch is
/// still reading it, whenever another thread (a data loader) triggers a GC. Measured here: with a thread
/// forcing GCs, TorchSharp's BatchNorm1d forward failed after 45,540 calls and <c>x + x</c> after 126,513;
/// the same addition with a cached scalar ran 6,040,220 times without error. So in this project:
/// constants come from <see cref="Float"/>/<see cref="Int64"/> (cached for the process), values that
/// change (a learning rate) are created with <c>using var s = value.ToScalar();</c>, and tensor
/// arithmetic goes through <see cref="SafeOps"/>.
/// </remarks>
public static class Scalars
{
    private static readonly ConcurrentDictionary<double, Scalar> Floats = new();
    private static readonly ConcurrentDictionary<long, Scalar> Longs = new();

    /// <summary>A cached float scalar. For constants only: every distinct value stays for the process.</summary>
    public static Scalar Float(double value) => Floats.GetOrAdd(value, v => v.ToScalar());

    /// <summary>A cached integer scalar, for integer tensors (e.g. num_batches_tracked).</summary>
    public static Scalar Int64(long value) => Longs.GetOrAdd(value, v => v.ToScalar());

    public static Scalar One => Float(1.0);
}
