using Vicreg.Data.Views;

namespace Vicreg.Data;

/// <summary>
/// Reproducible two-view batches for every modality pairing. The epoch order is a Fisher–Yates permutation seeded
/// from (seed, epoch); each sample's views come from one random stream seeded from (seed, epoch, index), view A
/// drawn first, then view B; multi-crop local views (each branch's <see cref="BranchInput.Locals"/>, branch A's groups
/// first) come from a second stream seeded from (seed, epoch, "LOCL", index), so the global views are the same with
/// or without them. Batches therefore do not depend on the worker count or on thread timing. N worker
/// threads decode and draw samples in order straight into contiguous float32 tensors, one layout per branch, at
/// most <c>prefetch</c> batches ahead of the consumer (a bounded queue: memory stays at about (prefetch + 1)
/// batches; <see cref="PeakBytesInFlight"/> reports it). A sample that cannot be decoded (any of its files) is
/// replaced by the next one in the permutation that can; that is a property of the files, so still deterministic.
/// A video clip (<see cref="Sample.Frames"/>) shows one frame per epoch, drawn from a stream of its own seeded from
/// (seed, epoch, index), and both branches read that frame: its image, and the soundtrack centred on its time.
/// drop_last: a trailing partial batch is not produced.
/// </summary>
public sealed class TwoViewBatches : IViewPairSource
{
    private readonly IReadOnlyList<Sample> _samples;
    private readonly BranchInput _a, _b;
    private readonly int _batchSize, _seed, _workers, _prefetch, _rank, _ranks;
    private readonly (long Permutation, long Views) _tags;
    private readonly (bool BranchB, LocalCrops Crops)[] _locals;
    // The stream of a clip's frame draw, "FRAM": apart from the views' stream, so runs without frames are unchanged.
    private const long FrameTag = 0x4652_414D;
    private long _inFlight, _peak, _padded;

    /// <summary>Domain tag of the local views' stream ("LOCL").</summary>
    public const long LocalViewsTag = 0x4C4F_434C;

    /// <param name="samples">The dataset; both readers decode this same list.</param>
    /// <param name="a">Branch A's reader and views.</param>
    /// <param name="b">Branch B's reader and views (the same reader when both branches take the same modality).</param>
    /// <param name="batchSize">Samples per batch.</param>
    /// <param name="seed">Run seed.</param>
    /// <param name="workers">Decode/augment worker threads; 0 or less means Environment.ProcessorCount.</param>
    /// <param name="prefetch">Batches the workers may prepare ahead of the consumer (at least 1).</param>
    /// <param name="rank">Multi-process training: this process's rank; it gets rows rank·B/ranks … of every global
    /// batch of <paramref name="batchSize"/> (the same samples and views as one process would put there).</param>
    /// <param name="ranks">How many processes share each global batch (1: this process takes whole batches).</param>
    public TwoViewBatches(IReadOnlyList<Sample> samples, BranchInput a, BranchInput b, int batchSize, int seed,
        int workers = -1, int prefetch = 2, int rank = 0, int ranks = 1)
    {
        _samples = samples ?? throw new ArgumentNullException(nameof(samples));
        _a = a ?? throw new ArgumentNullException(nameof(a));
        _b = b ?? throw new ArgumentNullException(nameof(b));
        foreach (var reader in new[] { a.Reader, b.Reader })
            if (reader.Count != samples.Count)
                throw new ArgumentException($"The {reader.Modality} reader has {reader.Count} samples but the sample list has {samples.Count}; they must be the same list.", nameof(samples));
        if (batchSize < 1) throw new ArgumentException($"Batch size must be at least 1 (got {batchSize}).", nameof(batchSize));
        if (samples.Count / batchSize < 1)
            throw new ArgumentException(
                $"The dataset has {samples.Count} samples, fewer than one batch of {batchSize}; " +
                "use a smaller batch size or more data (incomplete batches are dropped).", nameof(batchSize));
        if (ranks < 1 || rank < 0 || rank >= ranks) throw new ArgumentException($"Rank {rank} of {ranks} is not a valid shard.", nameof(rank));
        if (batchSize % ranks != 0)
            throw new ArgumentException($"A global batch of {batchSize} cannot be split evenly over {ranks} ranks; use a multiple of {ranks}.", nameof(batchSize));
        if (prefetch < 1) throw new ArgumentException($"Prefetch must be at least 1 batch (got {prefetch}).", nameof(prefetch));
        _batchSize = batchSize;
        _seed = seed;
        _workers = workers > 0 ? workers : Environment.ProcessorCount;
        _prefetch = prefetch;
        _rank = rank;
        _ranks = ranks;
        _tags = a.Recipe.StreamTags;
        _locals = a.Locals.Select(l => (false, l)).Concat(b.Locals.Select(l => (true, l))).ToArray();
        // Blocks are allocated only when none is free, so the memory held is the most ever in flight; keeping the
        // tensors of (prefetch + the consumer's + one being pinned for a GPU) batches free lets a consumer that held
        // many batches at once give the rest back.
        Memory = new BatchMemory(keep: (prefetch + 2) * (2 + _locals.Length));
    }

    /// <summary>The memory the batch tensors are written into, recycled from batches the consumer has released.</summary>
    public BatchMemory Memory { get; }

    /// <summary>Full batches per epoch (drop_last): samples / batch size.</summary>
    public int BatchesPerEpoch => _samples.Count / _batchSize;

    /// <summary>The global batch size (all ranks together).</summary>
    public int BatchSize => _batchSize;

    /// <summary>Rows of each global batch that this process gets (the whole batch unless sharded over ranks).</summary>
    public int LocalBatchSize => _batchSize / _ranks;

    /// <summary>Where this process's rows start in each global batch.</summary>
    public int FirstRowInBatch => _rank * LocalBatchSize;

    public int Workers => _workers;
    public int Prefetch => _prefetch;
    public BranchInput A => _a;
    public BranchInput B => _b;

    /// <summary>The groups of local views of every batch, in order: branch A's, then branch B's.</summary>
    public IReadOnlyList<(bool BranchB, LocalCrops Crops)> LocalGroups => _locals;

    /// <summary>Distinct files skipped so far by the readers of both branches.</summary>
    public string Describe(int index) => _samples[index].Describe();

    public int SkippedFiles => ReferenceEquals(_a.Reader, _b.Reader) ? _a.Reader.SkippedCount : _a.Reader.SkippedCount + _b.Reader.SkippedCount;

    /// <summary>Samples padded in the batches built so far (clips shorter than a crop).</summary>
    public long PaddedSamples => Interlocked.Read(ref _padded);

    /// <summary>Most bytes of batch tensors held by the loader at once (prepared, not yet handed over), plus the
    /// per-thread augmentation buffers and decoded samples in flight, since construction.</summary>
    public long PeakBytesInFlight => Interlocked.Read(ref _peak);

    /// <summary>The sample order of an epoch: depends only on (seed, epoch).</summary>
    public int[] Permutation(int epoch) => SeedMix.Permutation(_samples.Count, _seed, epoch, _tags.Permutation);

    /// <summary>The batches of one epoch, starting after <paramref name="skipBatches"/> batches (for resuming
    /// mid-epoch; the remaining batches are identical to an uninterrupted epoch).</summary>
    public IEnumerable<TwoViewBatch> Epoch(int epoch, int skipBatches = 0)
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

    /// <summary>The first <paramref name="count"/> samples of an epoch's order (global batch rows 0, 1, …), drawn again
    /// on this thread by the same code as the batches (decode, substitution, random stream), with what each view drew:
    /// what <c>vicreg preview</c> shows. Row k of batch b of <see cref="Epoch"/> is position b·BatchSize + k.</summary>
    public IReadOnlyList<ReplayedSample> Replay(int epoch, int count)
    {
        int available = BatchesPerEpoch * _batchSize; // drop_last: later positions are never trained on
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var perm = Permutation(epoch);
        var result = new List<ReplayedSample>();
        for (int position = 0; position < Math.Min(count, available); position++)
        {
            var a = new float[ViewShapes.Elements(_a.Recipe.TrainShape)];
            var b = new float[ViewShapes.Elements(_b.Recipe.TrainShape)];
            DrawnView? drawnA = null, drawnB = null;
            bool padded = Fill(perm, epoch, position, a, b, null, out long label, out int index, d => drawnA = d, d => drawnB = d);
            result.Add(new ReplayedSample(position, index, label, a, b, drawnA, drawnB, padded));
        }
        return result;
    }

    internal void Reserve(long bytes)
    {
        long now = Interlocked.Add(ref _inFlight, bytes);
        long seen;
        while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen) { }
    }

    internal void Release(long bytes) => Interlocked.Add(ref _inFlight, -bytes);

    /// <summary>Where local view <paramref name="view"/> of group <paramref name="group"/> of the sample being filled goes.</summary>
    internal delegate Span<float> LocalSlot(int group, int view);

    /// <summary>Decodes the sample at <paramref name="position"/> of the epoch order and draws its two views, then its
    /// local views into <paramref name="local"/> (when there are any and it is given); true when any view was padded.
    /// <paramref name="drawnA"/> and <paramref name="drawnB"/>, when given, receive what each global view drew
    /// (<see cref="Replay"/>).</summary>
    internal bool Fill(int[] perm, int epoch, int position, ViewSlot a, ViewSlot b, LocalSlot? local, out long label, out int index,
        Action<DrawnView>? drawnA = null, Action<DrawnView>? drawnB = null)
    {
        var (sampleA, sampleB, idx) = LoadOrSubstitute(perm, epoch, position);
        long bytes = sampleA.Bytes + (ReferenceEquals(sampleA, sampleB) ? 0 : sampleB.Bytes);
        Reserve(bytes);
        try
        {
            // A substitute also mixes in its slot, so it never repeats the views of its original.
            Random Views() => idx == perm[position]
                ? SeedMix.Rng(_seed, epoch, _tags.Views, idx)
                : SeedMix.Rng(_seed, epoch, _tags.Views, idx, position);
            // A file decoded on demand learns both views' crops first, on a copy of the stream, and decodes once.
            if (sampleA is Jpeg.DecodedJpeg || sampleB is Jpeg.DecodedJpeg)
            {
                var plan = Views();
                if (_a.Recipe.Plan(sampleA, plan)) _b.Recipe.Plan(sampleB, plan);
            }
            var rng = Views();
            bool padded = DrawView(_a.Recipe, sampleA, rng, a, drawnA);
            padded |= DrawView(_b.Recipe, sampleB, rng, b, drawnB);
            if (_locals.Length > 0 && local is not null)
            {
                var localRng = idx == perm[position]
                    ? SeedMix.Rng(_seed, epoch, LocalViewsTag, idx)
                    : SeedMix.Rng(_seed, epoch, LocalViewsTag, idx, position);
                for (int g = 0; g < _locals.Length; g++)
                    for (int j = 0; j < _locals[g].Crops.Count; j++)
                        padded |= _locals[g].Crops.Recipe.Draw(_locals[g].BranchB ? sampleB : sampleA, localRng, local(g, j));
            }
            if (padded) Interlocked.Increment(ref _padded);
            label = _samples[idx].Label;
            index = idx;
            return padded;
        }
        finally
        {
            sampleA.Dispose();
            if (!ReferenceEquals(sampleA, sampleB)) sampleB.Dispose();
            Release(bytes);
        }
    }

    /// <summary>A view into its slot: finished, or the host part of one the training device finishes.</summary>
    private static bool DrawView(IViewRecipe recipe, DecodedSample sample, Random rng, ViewSlot slot, Action<DrawnView>? drawn)
    {
        if (slot.Drawn is null) return recipe.Draw(sample, rng, slot.Floats, drawn);
        var d = ((ImageViewRecipe)recipe).DrawHostPart(sample, rng, slot.Pixels);
        slot.Drawn[slot.Row] = d;
        drawn?.Invoke(d);
        return false;
    }

    /// <summary>The recipe of a branch whose views the training device finishes (data.augment_on device), or null.</summary>
    internal static ImageViewRecipe? OnDevice(BranchInput branch) => branch.Recipe is ImageViewRecipe { OnDevice: true } r ? r : null;

    /// <summary>The frame of clip <paramref name="index"/> that epoch <paramref name="epoch"/> shows; null for a
    /// sample without frames.</summary>
    public int? FrameOf(int epoch, int index) =>
        _samples[index].Frames is { } frames ? SeedMix.Rng(_seed, epoch, FrameTag, index).Next(frames.Count) : null;

    /// <summary>The sample at <paramref name="position"/>, or the next one in the permutation (wrapping) whose
    /// files all decode.</summary>
    private (DecodedSample A, DecodedSample B, int Index) LoadOrSubstitute(int[] perm, int epoch, int position)
    {
        bool oneReader = ReferenceEquals(_a.Reader, _b.Reader);
        for (int step = 0; step < perm.Length; step++)
        {
            int index = perm[(position + step) % perm.Length];
            int? frame = FrameOf(epoch, index);
            var a = frame is { } fa ? _a.Reader.TryDecode(index, fa) : _a.Reader.TryDecode(index);
            if (a is null) continue;
            if (oneReader) return (a, a, index);
            var b = frame is { } fb ? _b.Reader.TryDecode(index, fb) : _b.Reader.TryDecode(index);
            if (b is not null) return (a, b, index);
            a.Dispose();
        }
        throw new InvalidDataException($"None of the {perm.Length} samples could be decoded; see the skipped-file lines.");
    }
}
