using Vicreg.Core;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Vicreg.Data.Paired;

/// <summary>The clips a video-frames layout lists, and how many clip folders were left out (no frames or no audio.wav).</summary>
public sealed record VideoClips(SampleSet Set, int LeftOut);

/// <summary>
/// The video-frames layout: one folder per clip holding its frames, extracted at a stated rate
/// (<c>frame_0001.jpg</c>, <c>frame_0002.jpg</c>, … or .png, as <c>ffmpeg -vf fps=R clip/frame_%04d.jpg</c> writes
/// them), and its soundtrack <c>audio.wav</c>. Classes come from the parent folder (root/&lt;class&gt;/&lt;clip&gt;/), or
/// from a CSV of <c>clip,label[,fold]</c> rows whose clip paths are relative to the root. Each clip is one
/// <see cref="Sample"/> with a <see cref="FrameTrack"/>; frame_k is at (k − 1)/R seconds (<see cref="FrameTrack.TimeOf"/>).
/// A clip folder without frames or without audio.wav is left out with one line naming it, and counted. Whether the
/// files decode is checked when they are read.
/// </summary>
public static class VideoFrames
{
    public const string AudioFile = "audio.wav";
    private static readonly Regex FrameName = new(@"^frame_(\d+)\.(jpe?g|png)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    // Lines naming left-out clips before only their count is reported (a large dataset may miss many).
    private const int LinesShown = 20;

    /// <summary>root/&lt;class&gt;/&lt;clip&gt;/: class folders sorted ordinally (class index = position), clips sorted by path.
    /// A class whose clips were all left out keeps its index (data.empty_classes then decides).</summary>
    public static VideoClips ScanClassFolders(string root, double fps, Action<string> log)
    {
        string full = ExistingRoot(root);
        // The staging folder of an ingest that was stopped is not a class.
        var classDirs = Directory.GetDirectories(full).Where(d => Path.GetFileName(d) != Ingest.MediaIngest.StagingFolder).OrderBy(d => d, StringComparer.Ordinal).ToArray();
        if (classDirs.Length == 0)
            throw new InvalidDataException($"{full}: no class folders (expected <class>/<clip>/frame_0001.jpg … and <class>/<clip>/{AudioFile}, or give data.paired.frames.labels_csv)");
        var clips = classDirs.SelectMany((dir, label) => Directory.GetDirectories(dir).Select(clip => (Folder: clip, Label: label, Fold: 0)))
            .OrderBy(c => c.Folder, StringComparer.Ordinal).ToList();
        return Read(clips, classDirs.Select(d => Path.GetFileName(d)!).ToList(), full, fps, log);
    }

    /// <summary>The clips of a CSV with a header and the columns <c>clip,label</c> and optionally <c>fold</c>; clip
    /// paths are relative to <paramref name="root"/>. A malformed row is refused as <c>file:line: problem</c>.</summary>
    public static VideoClips ScanListed(string root, string labelsCsv, double fps, Action<string> log)
    {
        string full = ExistingRoot(root);
        var rows = ReadLabels(labelsCsv, full);
        var classes = SampleSet.SortedClasses(rows.Select(r => r.Label));
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        return Read(rows.Select(r => (r.Folder, index[r.Label], r.Fold)).ToList(), classes, Path.GetFullPath(labelsCsv), fps, log);
    }

    /// <summary>One clip folder's frames, in time order, or null when it has none.</summary>
    public static FrameTrack? Frames(string folder, double fps)
    {
        if (!Directory.Exists(folder)) return null;
        var frames = Directory.EnumerateFiles(folder)
            .Select(f => (File: f, Match: FrameName.Match(Path.GetFileName(f))))
            .Where(f => f.Match.Success && long.TryParse(f.Match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long n) && n is >= 1 and <= int.MaxValue)
            .Select(f => (f.File, Number: int.Parse(f.Match.Groups[1].Value, CultureInfo.InvariantCulture)))
            .OrderBy(f => f.Number).ThenBy(f => f.File, StringComparer.Ordinal)
            .ToList();
        return frames.Count == 0 ? null : new FrameTrack(frames.Select(f => f.File).ToList(), frames.Select(f => FrameTrack.TimeOf(f.Number, fps)).ToList());
    }

    /// <summary>A clip as a sample: the middle frame is its image (what evaluation reads), audio.wav its sound.</summary>
    public static Sample Clip(string folder, FrameTrack frames, int label, int fold = 0) =>
        new(folder, label, fold)
        {
            Files = new Dictionary<string, string> { [Modalities.Image] = frames.Files[frames.Middle], [Modalities.Audio] = Path.Combine(folder, AudioFile) },
            Frames = frames,
        };

    private static VideoClips Read(IReadOnlyList<(string Folder, int Label, int Fold)> clips, IReadOnlyList<string> classes, string source, double fps, Action<string> log)
    {
        if (!(fps > 0)) throw new ArgumentOutOfRangeException(nameof(fps), $"the frame rate must be > 0 (got {fps})");
        var samples = new Sample?[clips.Count];
        var problems = new string?[clips.Count];
        Parallel.For(0, clips.Count, i =>
        {
            var (folder, label, fold) = clips[i];
            var frames = Frames(folder, fps);
            bool audio = File.Exists(Path.Combine(folder, AudioFile));
            if (frames is not null && audio) samples[i] = Clip(folder, frames, label, fold);
            else problems[i] = !Directory.Exists(folder) ? "no such folder"
                : frames is null && !audio ? $"no frame_NNNN.jpg/.png files and no {AudioFile}"
                : frames is null ? "no frame_NNNN.jpg/.png files" : $"no {AudioFile}";
        });
        int leftOut = 0;
        for (int i = 0; i < clips.Count; i++)
            if (problems[i] is { } problem && leftOut++ < LinesShown) log($"skipped clip {clips[i].Folder}: {problem}");
        if (leftOut > LinesShown) log($"… and {leftOut - LinesShown} more clip folders without frames or {AudioFile}");
        var kept = samples.Where(s => s is not null).Select(s => s!).ToList();
        if (kept.Count == 0)
            throw new InvalidDataException($"{source}: none of the {clips.Count} clip folders has both frames (frame_0001.jpg …) and {AudioFile}");
        return new VideoClips(new SampleSet(kept, classes, source), leftOut);
    }

    private static string ExistingRoot(string root)
    {
        string full = Path.GetFullPath(root);
        if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"{full}: video-frames folder not found");
        return full;
    }

    private static List<(string Folder, string Label, int Fold)> ReadLabels(string csvPath, string root)
    {
        var table = ManifestTable.Read(csvPath, ["clip", "label"], "clip,label[,fold]");
        return table.Rows.Select(r =>
        {
            string folder = r.Text("clip");
            return (Path.GetFullPath(Path.IsPathRooted(folder) ? folder : Path.Combine(root, folder)), r.Text("label"), r.Integer("fold"));
        }).ToList();
    }
}
