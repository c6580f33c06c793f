using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace Vicreg.Data;

/// <summary>
/// Reproducible two-view batches for VICReg pretraining. The epoch order is a Fisher–Yates permutation
/// seeded from (seed, epoch); each sample's augmentation stream is seeded from (seed, epoch, index).
/// Batches therefore do not depend on the worker count or on thread timing. N worker threads decode and
/// augment samples in order straight into contiguous float32 [B,3,S,S] tensors, at most
/// <c>prefetch</c> batches ahead of the consumer (a bounded queue: memory stays at about
/// (prefetch + 1) batches; <see cref="PeakBytesInFlight"/> reports it). drop_last: a trailing partial
/// batch is not produced.
/// </summary>
public sealed class TwoViewBatches
{
    // Domain tags keep the permutation stream apart from the per-sample streams.
    private const long PermutationTag = 0x5045524D; // "PERM"
    private const long SampleTag = 0x56494557;      // "VIEW"

    private readonly ImageLoader _loader;
    private readonly IReadOnlyList<ImageSample> _samples;
    private readonly ViewAugmentation _viewA, _viewB;
    private readonly int _batchSize, _seed, _workers, _prefetch;

    /// <param name="loader">Decoder for <paramref name="samples"/> (same list, same indices).</param>
    /// <param name="samples">The dataset.</param>
    /// <param name="viewA">Augmentation of the first view.</param>
    /// <param name="viewB">Augmentation of the second view (same Size as the first).</param>
    /// <param name="batchSize">Samples per batch.</param>
    /// <param name="seed">Run seed.</param>
    /// <param name="workers">Parallel decode/augment worker threads; 0 or less means Environment.ProcessorCount.</param>
    /// <param name="prefetch">Batches the workers may prepare ahead of the consumer (at least 1).</param>
    public TwoViewBatches(ImageLoader loader, IReadOnlyList<ImageSample> samples, ViewAugmentation viewA,
        ViewAugmentation viewB, int batchSize, int seed, int workers = -1, int prefetch = 2)
    {
        _loader = loader ?? throw new ArgumentNullException(nameof(loader));
        _samples = samples ?? throw new ArgumentNullException(nameof(samples));
        _viewA = viewA ?? throw new ArgumentNullException(nameof(viewA));
        _viewB = viewB ?? throw new ArgumentNullException(nameof(viewB));
        if (loader.Count != samples.Count)
            throw new ArgumentException(
                $"The loader has {loader.Count} samples but the sample list has {samples.Count}; they must be the same list.",
                nameof(samples));
        if (viewA.Size != viewB.Size)
            throw new ArgumentException($"Both views must have the same Size (got {viewA.Size} and {viewB.Size}).", nameof(viewB));
        if (batchSize < 1)
            throw new ArgumentException($"Batch size must be at least 1 (got {batchSize}).", nameof(batchSize));
        if (samples.Count / batchSize < 1)
            throw new ArgumentException(
                $"The dataset has {samples.Count} samples, fewer than one batch of {batchSize}; " +
                "use a smaller batch size or more data (incomplete batches are dropped).", nameof(batchSize));
        _batchSize = batchSize;
        _seed = seed;
        _workers = workers > 0 ? workers : Environment.ProcessorCount;
        if (prefetch < 1) throw new ArgumentException($"Prefetch must be at least 1 batch (got {prefetch}).", nameof(prefetch));
        _prefetch = prefetch;
    }

    /// <summary>Full batches per epoch (drop_last): samples / batch size.</summary>
    public int BatchesPerEpoch => _samples.Count / _batchSize;

    /// <summary>Samples per batch.</summary>
    public int BatchSize => _batchSize;

    /// <summary>The sample order of an epoch: depends only on (seed, epoch).</summary>
    public int[] Permutation(int epoch) => SeedMix.Permutation(_samples.Count, _seed, epoch, PermutationTag);

    /// <summary>The batches of one epoch, in order.</summary>
    public IEnumerable<TwoViewBatch> Epoch(int epoch) => Epoch(epoch, 0);

    /// <summary>The batches of one epoch, starting after <paramref name="skipBatches"/> batches
    /// (for resuming mid-epoch; the remaining batches are identical to an uninterrupted epoch).</summary>
    public IEnumerable<TwoViewBatch> Epoch(int epoch, int skipBatches)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skipBatches);
        return EpochIterator(epoch, skipBatches);
    }

    private IEnumerable<TwoViewBatch> EpochIterator(int epoch, int skipBatches)
    {
        var perm = Permutation(epoch);
        int n = BatchesPerEpoch;
        if (skipBatches >= n) yield break;
        // An abandoned enumeration stops the workers and frees the batches they prepared.
        using var pipeline = new BatchPipeline(this, perm, epoch, skipBatches, n, _workers, _prefetch);
        for (int b = skipBatches; b < n; b++)
            yield return pipeline.Take(b);
    }

    /// <summary>Most bytes of batch tensors held by the loader at once (prepared, not yet handed over),
    /// plus the per-thread augmentation buffers and decoded images in flight, since construction.</summary>
    public long PeakBytesInFlight => Interlocked.Read(ref _peak);

    /// <summary>Worker threads.</summary>
    public int Workers => _workers;

    /// <summary>Batches prepared ahead of the consumer at most.</summary>
    public int Prefetch => _prefetch;

    /// <summary>Side of the (square) views.</summary>
    public int ViewSize => _viewA.Size;

    private long _inFlight, _peak;

    internal void Reserve(long bytes)
    {
        long now = Interlocked.Add(ref _inFlight, bytes);
        long seen;
        while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen) { }
    }

    internal void Release(long bytes) => Interlocked.Add(ref _inFlight, -bytes);

    /// <summary>Decodes and augments the sample at <paramref name="position"/> of the epoch order into two view slots.</summary>
    internal void Fill(int[] perm, int epoch, int position, Span<float> a, Span<float> b, out long label, out int index)
    {
        var (image, idx) = LoadOrSubstitute(perm, position);
        long imageBytes = 3L * image.Width * image.Height;
        Reserve(imageBytes);
        try
        {
            // A substitute also mixes in its slot, so it never repeats the views of its original.
            var rng = idx == perm[position]
                ? SeedMix.Rng(_seed, epoch, SampleTag, idx)
                : SeedMix.Rng(_seed, epoch, SampleTag, idx, position);
            ImageAugmenter.ApplyInto(image, _viewA, rng, a);
            ImageAugmenter.ApplyInto(image, _viewB, rng, b);
        }
        finally
        {
            image.Dispose();
            Release(imageBytes);
        }
        label = _samples[idx].Label;
        index = idx;
    }

    /// <summary>The sample at <paramref name="position"/>, or the next one in the permutation
    /// (wrapping) that decodes. Whether a file decodes is a property of the file, so this is deterministic.</summary>
    private (Image<Rgb24> Image, int Index) LoadOrSubstitute(int[] perm, int position)
    {
        for (int step = 0; step < perm.Length; step++)
        {
            int index = perm[(position + step) % perm.Length];
            var image = _loader.TryLoad(index);
            if (image is not null) return (image, index);
        }
        throw new InvalidDataException($"None of the {perm.Length} images could be decoded; see the skipped-file log.");
    }
}
