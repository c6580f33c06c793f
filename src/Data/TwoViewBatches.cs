using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace Vicreg.Data;

/// <summary>
/// Reproducible two-view batches for VICReg pretraining. The epoch order is a Fisher–Yates permutation
/// seeded from (seed, epoch); each sample's augmentation stream is seeded from (seed, epoch, index).
/// Batches therefore do not depend on the worker count or on thread timing. Batches are built in
/// parallel and the next one is prefetched on a background task (at most one ahead). drop_last: a
/// trailing partial batch is not produced.
/// </summary>
public sealed class TwoViewBatches
{
    // Domain tags keep the permutation stream apart from the per-sample streams.
    private const long PermutationTag = 0x5045524D; // "PERM"
    private const long SampleTag = 0x56494557;      // "VIEW"

    private readonly ImageLoader _loader;
    private readonly IReadOnlyList<ImageSample> _samples;
    private readonly ViewAugmentation _viewA, _viewB;
    private readonly int _batchSize, _seed, _workers;

    /// <param name="loader">Decoder for <paramref name="samples"/> (same list, same indices).</param>
    /// <param name="samples">The dataset.</param>
    /// <param name="viewA">Augmentation of the first view.</param>
    /// <param name="viewB">Augmentation of the second view (same Size as the first).</param>
    /// <param name="batchSize">Samples per batch.</param>
    /// <param name="seed">Run seed.</param>
    /// <param name="workers">Parallel decode/augment workers; 0 or less means Environment.ProcessorCount.</param>
    public TwoViewBatches(ImageLoader loader, IReadOnlyList<ImageSample> samples, ViewAugmentation viewA,
        ViewAugmentation viewB, int batchSize, int seed, int workers = -1)
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
    }

    /// <summary>Full batches per epoch (drop_last): samples / batch size.</summary>
    public int BatchesPerEpoch => _samples.Count / _batchSize;

    /// <summary>Samples per batch.</summary>
    public int BatchSize => _batchSize;

    /// <summary>The sample order of an epoch: depends only on (seed, epoch).</summary>
    public int[] Permutation(int epoch)
    {
        var perm = Enumerable.Range(0, _samples.Count).ToArray();
        var rng = SeedMix.Rng(_seed, epoch, PermutationTag);
        for (int i = perm.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (perm[i], perm[j]) = (perm[j], perm[i]);
        }
        return perm;
    }

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
        Task<TwoViewBatch>? pending = Task.Run(() => BuildBatch(perm, epoch, skipBatches));
        try
        {
            for (int b = skipBatches; b < n; b++)
            {
                var current = pending!.GetAwaiter().GetResult();
                pending = null;
                int next = b + 1;
                if (next < n) pending = Task.Run(() => BuildBatch(perm, epoch, next));
                yield return current;
            }
        }
        finally
        {
            // An abandoned enumeration still owns the prefetched batch.
            if (pending is not null)
            {
                try { pending.GetAwaiter().GetResult().Dispose(); }
                catch { /* the consumer stopped; a failed prefetch has nothing to release */ }
            }
        }
    }

    private TwoViewBatch BuildBatch(int[] perm, int epoch, int batch)
    {
        int bs = _batchSize, s = _viewA.Size, per = 3 * s * s;
        var a = new float[bs * per];
        var b = new float[bs * per];
        var labels = new long[bs];
        var indices = new int[bs];
        var options = new ParallelOptions { MaxDegreeOfParallelism = _workers };
        Parallel.For(0, bs, options, k =>
        {
            int position = batch * bs + k;
            var (image, index) = LoadOrSubstitute(perm, position);
            using (image)
            {
                // A substitute also mixes in its slot, so it never repeats the views of its original.
                var rng = index == perm[position]
                    ? SeedMix.Rng(_seed, epoch, SampleTag, index)
                    : SeedMix.Rng(_seed, epoch, SampleTag, index, position);
                ImageAugmenter.Apply(image, _viewA, rng).CopyTo(a, k * per);
                ImageAugmenter.Apply(image, _viewB, rng).CopyTo(b, k * per);
            }
            labels[k] = _samples[index].Label;
            indices[k] = index;
        });
        var shape = new long[] { bs, 3, s, s };
        return new TwoViewBatch(tensor(a, shape), tensor(b, shape), tensor(labels), indices);
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
