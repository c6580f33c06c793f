namespace Vicreg.Data.Ingest;

/// <summary>What <see cref="MediaIngest"/> does.</summary>
/// <param name="Input">The folder searched (recursively) for videos.</param>
/// <param name="Output">The layout's root: video-frames (&lt;label&gt;/&lt;clip&gt;/frame_NNNN.jpg + audio.wav) or, with
/// <paramref name="AudioOnly"/>, audio-folder (&lt;label&gt;/&lt;clip&gt;.wav).</param>
/// <param name="Fps">Frames extracted per second of video.</param>
/// <param name="SampleRate">The soundtrack's rate (mono 16-bit WAV).</param>
/// <param name="Size">The frames' short side in pixels (aspect kept).</param>
/// <param name="LabelsCsv">A CSV of video,label[,fold] (video: a path relative to <paramref name="Input"/>); null: the
/// label of a video is the first folder below <paramref name="Input"/> that holds it.</param>
/// <param name="Jobs">Videos converted at once.</param>
public sealed record IngestOptions(string Input, string Output, double Fps = 1, int SampleRate = 16000, int Size = 256,
    string? LabelsCsv = null, bool AudioOnly = false, int Jobs = 0)
{
    public static readonly IReadOnlyList<string> VideoExtensions = [".mp4", ".webm", ".mkv", ".avi", ".mov"];

    /// <summary>The label given to videos directly in the input folder when labels come from folders.</summary>
    public const string NoFolderLabel = "unlabelled";

    public int JobsOrCores => Jobs > 0 ? Jobs : Math.Max(1, Environment.ProcessorCount);

    /// <summary>The options' problems, each naming its command-line option.</summary>
    public IEnumerable<string> Problems()
    {
        if (!Directory.Exists(Input)) yield return $"--in {Input}: folder not found";
        if (!(Fps > 0 && Fps <= 120)) yield return $"--fps must be in (0, 120]; got {Fps}";
        if (SampleRate is < 4000 or > 192000) yield return $"--sample-rate must be between 4000 and 192000; got {SampleRate}";
        if (Size is < 8 or > 4096) yield return $"--size must be between 8 and 4096; got {Size}";
        if (LabelsCsv is not null && !File.Exists(LabelsCsv)) yield return $"--labels-from {LabelsCsv}: file not found";
        if (Jobs < 0) yield return $"--jobs must be ≥ 1; got {Jobs}";
    }
}

/// <summary>What an ingest did: clips written now, clips found finished from an earlier run (not redone), and the videos
/// left out, each with its one line. <paramref name="ListPath"/> is the CSV written at the end.</summary>
public sealed record IngestResult(int Written, int AlreadyDone, IReadOnlyList<string> LeftOut, string ListPath)
{
    public int Clips => Written + AlreadyDone;
}
