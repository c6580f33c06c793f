using Vicreg.Core;
namespace Vicreg.Data;

/// <summary>
/// One labelled sample: its file, its class index and, where the data has folds (ESC-50), its fold (0 when none).
/// A sample of several modalities (a video frame and its sound) names one file per modality in
/// <see cref="Files"/>; a reader of modality m reads <see cref="FileFor"/>(m).
/// </summary>
public sealed record Sample(string Path, int Label, int Fold = 0)
{
    /// <summary>Files by modality name ("image", "audio") for a sample of several modalities; null when
    /// <see cref="Path"/> serves every modality.</summary>
    public IReadOnlyDictionary<string, string>? Files { get; init; }

    /// <summary>A video clip's frames (video-frames layout), of which a training view draws one; null otherwise.
    /// <see cref="Files"/> then names the middle frame as the image, what evaluation reads.</summary>
    public Paired.FrameTrack? Frames { get; init; }

    /// <summary>The file a reader of <paramref name="modality"/> decodes.</summary>
    public string FileFor(string modality) => Files is not null && Files.TryGetValue(modality, out var f) ? f : Path;

    /// <summary>For messages: the file, or every file of a multi-modality sample.</summary>
    public string Describe() => Frames is not null ? $"clip {Path}" : Files is null ? Path : string.Join(" + ", Files.Values);

    /// <summary>The one line of a reader that skips <paramref name="file"/> of this sample: a pair is skipped
    /// whole, so its line names both files; a bad frame of a clip only takes that frame out.</summary>
    public string SkipLine(string file, string reason)
    {
        if (Frames is { } frames && frames.Files.Contains(file))
            return $"skipped frame {file} of clip {Path}: {reason}" + (file == Files?.GetValueOrDefault(Modalities.Image)
                ? " (the middle frame: evaluation leaves the clip out, training draws its other frames)"
                : " (a draw of it takes the next readable clip)");
        return Files is null ? $"skipped {file}: {reason}" : $"skipped {(Frames is null ? "pair " : "")}{Describe()}: {file}: {reason}";
    }
}
