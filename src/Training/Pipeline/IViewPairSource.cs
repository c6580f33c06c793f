using static TorchSharp.torch;

namespace Vicreg.Training.Pipeline;

/// <summary>
/// Two views of the same samples, one batch at a time: image/image, waveform/spectrogram, … The trainer
/// sees only this, so any modality pairing plugs in. Batch order and content must depend only on
/// (seed, epoch), which is what makes runs repeatable and resumable.
/// </summary>
public interface IViewPairSource
{
    int BatchesPerEpoch { get; }
    /// <summary>The batches of an epoch from batch <paramref name="skipBatches"/> on; the batches are the
    /// same as those of an uninterrupted epoch (resume mid-epoch).</summary>
    IEnumerable<ViewPair> Epoch(int epoch, int skipBatches = 0);
    /// <summary>Files that could not be read so far (reported in the run summary).</summary>
    int SkippedFiles { get; }
}

/// <summary>View A goes to branch A, view B to branch B. Owned by the consumer, which disposes it.</summary>
public sealed record ViewPair(Tensor ViewA, Tensor ViewB) : IDisposable
{
    public int Count => (int)ViewA.shape[0];

    public void Dispose()
    {
        ViewA.Dispose();
        ViewB.Dispose();
    }
}
