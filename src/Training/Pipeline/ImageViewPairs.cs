using Vicreg.Data;

namespace Vicreg.Training.Pipeline;

/// <summary>Image/image pairs: two augmentations of one image (the paper's ImageNet setting).</summary>
public sealed class ImageViewPairs : IViewPairSource
{
    private readonly TwoViewBatches batches;
    private readonly ImageLoader loader;

    public ImageViewPairs(ImageLoader loader, IReadOnlyList<ImageSample> samples, ViewAugmentation viewA,
        ViewAugmentation viewB, int batchSize, int seed, int workers, int prefetch = 2)
    {
        this.loader = loader;
        batches = new TwoViewBatches(loader, samples, viewA, viewB, batchSize, seed, workers, prefetch);
    }

    /// <summary>Peak bytes the loader held at once (prepared batches, decoded images in flight).</summary>
    public long PeakLoaderBytes => batches.PeakBytesInFlight;

    public int BatchesPerEpoch => batches.BatchesPerEpoch;
    public int SkippedFiles => loader.SkippedCount;

    public IEnumerable<ViewPair> Epoch(int epoch, int skipBatches = 0)
    {
        foreach (var batch in batches.Epoch(epoch, skipBatches))
        {
            batch.Labels.Dispose(); // self-supervised: labels are not used in pretraining
            yield return new ViewPair(batch.ViewA, batch.ViewB);
        }
    }
}
