namespace Vicreg.Data;

/// <summary>
/// Two views of the same samples, one batch at a time: image/image, waveform/spectrogram, image/audio… The trainer
/// sees only this, so any modality pairing plugs in. Batch order and content depend only on (seed, epoch), which
/// is what makes runs repeatable and resumable.
/// </summary>
public interface IViewPairSource
{
    int BatchesPerEpoch { get; }

    /// <summary>The batches of an epoch from batch <paramref name="skipBatches"/> on; they are the same as those
    /// of an uninterrupted epoch (resume mid-epoch).</summary>
    IEnumerable<TwoViewBatch> Epoch(int epoch, int skipBatches = 0);

    /// <summary>Files that could not be read so far (reported in the run summary).</summary>
    int SkippedFiles { get; }

    /// <summary>For messages: the file (or files, for a pair) of dataset sample <paramref name="index"/>.</summary>
    string Describe(int index) => $"sample {index}";
}
