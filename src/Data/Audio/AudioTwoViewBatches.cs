using static TorchSharp.torch;

namespace Vicreg.Data.Audio;

/// <summary>
/// Reproducible two-view waveform batches: the epoch order is a permutation seeded from (seed, epoch), and
/// each clip's views from (seed, epoch, index), so batches do not depend on the worker count. Clips are cut
/// in parallel; the next batch is prefetched. drop_last. A clip that cannot be decoded is replaced by the
/// next one in the permutation that can (a property of the files, so still deterministic).
/// </summary>
public sealed class AudioTwoViewBatches
{
    private const long PermutationTag = 0x4155_5045; // "AUPE"
    private const long ViewTag = 0x4155_5649;        // "AUVI"
    private readonly AudioLoader loader;
    private readonly AudioViewAugmentation viewA, viewB;
    private readonly IReadOnlyList<AudioSample> samples;
    private readonly int batchSize, seed, workers;
    private long paddedClips;

    public AudioTwoViewBatches(AudioLoader loader, IReadOnlyList<AudioSample> samples, AudioViewAugmentation viewA,
        AudioViewAugmentation viewB, int batchSize, int seed, int workers)
    {
        if (loader.Count != samples.Count) throw new ArgumentException("the loader and the sample list must be the same list");
        if (batchSize < 1) throw new ArgumentException($"batch size must be at least 1 (got {batchSize})");
        if (samples.Count < batchSize)
            throw new ArgumentException($"the dataset has {samples.Count} clips, fewer than one batch of {batchSize}; use a smaller batch size");
        this.loader = loader;
        this.samples = samples;
        this.viewA = viewA;
        this.viewB = viewB;
        this.batchSize = batchSize;
        this.seed = seed;
        this.workers = workers > 0 ? workers : Environment.ProcessorCount;
        CropA = CropLength(viewA, loader.SampleRate);
        CropB = CropLength(viewB, loader.SampleRate);
    }

    public int BatchesPerEpoch => samples.Count / batchSize;
    public int CropA { get; }
    public int CropB { get; }

    /// <summary>Clips shorter than a crop, zero-padded, counted over every batch built so far.</summary>
    public long PaddedClips => Interlocked.Read(ref paddedClips);

    public static int CropLength(AudioViewAugmentation v, int rate) => Math.Max(1, (int)Math.Round(v.CropSeconds * rate));

    public int[] Permutation(int epoch) => SeedMix.Permutation(samples.Count, seed, epoch, PermutationTag);

    public IEnumerable<AudioBatch> Epoch(int epoch, int skipBatches = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skipBatches);
        var perm = Permutation(epoch);
        return OneAheadPrefetch.Run(skipBatches, BatchesPerEpoch, b => Build(perm, epoch, b));
    }

    private AudioBatch Build(int[] perm, int epoch, int batch)
    {
        int n = batchSize;
        var a = new float[n * CropA];
        var b = new float[n * CropB];
        var labels = new long[n];
        var indices = new int[n];
        int padded = 0;
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = workers }, k =>
        {
            int position = batch * n + k;
            var (clip, index) = LoadOrSubstitute(perm, position);
            var rng = index == perm[position]
                ? SeedMix.Rng(seed, epoch, ViewTag, index)
                : SeedMix.Rng(seed, epoch, ViewTag, index, position);
            int padA = AudioViews.Random(clip, viewA, rng, a.AsSpan(k * CropA, CropA));
            int padB = AudioViews.Random(clip, viewB, rng, b.AsSpan(k * CropB, CropB));
            if (padA > 0 || padB > 0) Interlocked.Increment(ref padded);
            labels[k] = samples[index].Label;
            indices[k] = index;
        });
        Interlocked.Add(ref paddedClips, padded);
        return new AudioBatch(tensor(a, new long[] { n, 1, CropA }), tensor(b, new long[] { n, 1, CropB }),
            tensor(labels), indices, padded);
    }

    private (float[] Clip, int Index) LoadOrSubstitute(int[] perm, int position)
    {
        for (int step = 0; step < perm.Length; step++)
        {
            int index = perm[(position + step) % perm.Length];
            var clip = loader.TryLoad(index);
            if (clip is not null) return (clip, index);
        }
        throw new InvalidDataException($"none of the {perm.Length} audio files could be decoded; see the skipped-file lines");
    }
}
