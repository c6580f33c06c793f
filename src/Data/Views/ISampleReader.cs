namespace Vicreg.Data.Views;

/// <summary>
/// Decodes the samples of a list for one modality, thread-safely. A file that cannot be decoded is skipped: one
/// line naming it, remembered and counted, and later requests return null without retrying.
/// </summary>
public interface ISampleReader
{
    /// <summary>The modality it decodes ("image", "audio"): which file of a sample it reads.</summary>
    string Modality { get; }
    int Count { get; }
    int SkippedCount { get; }
    IReadOnlyCollection<string> SkippedFiles { get; }

    /// <summary>Sample <paramref name="index"/> decoded, or null when it is skipped. The caller disposes it.</summary>
    DecodedSample? TryDecode(int index);

    /// <summary>Sample <paramref name="index"/> at frame <paramref name="frame"/> of its <see cref="Sample.Frames"/>
    /// (a video clip): that frame's image, or the soundtrack with the frame's time as its centre. Readers of samples
    /// without frames read the sample as <see cref="TryDecode(int)"/> does, which for a clip is its middle frame.</summary>
    DecodedSample? TryDecode(int index, int frame) => TryDecode(index);

    /// <summary>How its files were decoded so far (which decoder, at which scale); null for readers that do not count.</summary>
    Jpeg.DecodeTally? Decodes => null;
}
