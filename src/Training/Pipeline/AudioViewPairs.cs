using Vicreg.Data.Audio;

namespace Vicreg.Training.Pipeline;

/// <summary>Waveform/waveform pairs for audio branches: two differently cropped and augmented views of each
/// clip, [N, 1, samples] each. A spectrogram branch computes its log-mel from its view on the device.</summary>
public sealed class AudioViewPairs : IViewPairSource
{
    private readonly AudioTwoViewBatches batches;
    private readonly AudioLoader loader;

    public AudioViewPairs(AudioLoader loader, IReadOnlyList<AudioSample> samples, AudioViewAugmentation viewA,
        AudioViewAugmentation viewB, int batchSize, int seed, int workers)
    {
        this.loader = loader;
        batches = new AudioTwoViewBatches(loader, samples, viewA, viewB, batchSize, seed, workers);
    }

    public int BatchesPerEpoch => batches.BatchesPerEpoch;
    public int SkippedFiles => loader.SkippedCount;
    /// <summary>Clips shorter than a crop (zero-padded) in the batches built so far.</summary>
    public long PaddedClips => batches.PaddedClips;

    public IEnumerable<ViewPair> Epoch(int epoch, int skipBatches = 0)
    {
        foreach (var batch in batches.Epoch(epoch, skipBatches))
        {
            batch.Labels.Dispose(); // self-supervised: labels are not used in pretraining
            yield return new ViewPair(batch.ViewA, batch.ViewB);
        }
    }
}
