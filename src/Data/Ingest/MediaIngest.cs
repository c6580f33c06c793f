using System.Globalization;
using System.Text;

namespace Vicreg.Data.Ingest;

/// <summary>
/// Videos → the video-frames layout (root/&lt;label&gt;/&lt;clip&gt;/frame_0001.jpg … + audio.wav, frame_k at (k − 1)/fps, as
/// <see cref="Paired.VideoFrames"/> reads it) or, audio only, the audio-folder layout (root/&lt;label&gt;/&lt;clip&gt;.wav),
/// through ffmpeg, several videos at once. Resumable: a clip is written into root/.staging/ and moved into place
/// when complete, so a clip in place is finished and not redone, and what a stopped run left in .staging is
/// cleared and redone. A video ffmpeg cannot read, or without an audio (or, for frames, a video) track, is one
/// line, left out and counted. At the end the list of every clip in place is written: clips.csv (clip,label[,fold])
/// for frames, manifest.csv (path,label[,fold]) for audio, both relative to the root.
/// </summary>
public static class MediaIngest
{
    public const string StagingFolder = ".staging";
    public const string ClipsCsv = "clips.csv";
    public const string ManifestCsv = "manifest.csv";

    private sealed record Video(string Path, string Label, int Fold, string Clip);

    /// <param name="log">Receives the lines for left-out videos (and nothing else), from several threads.</param>
    /// <param name="progress">Called with (videos finished or left out, all videos) as they finish.</param>
    public static IngestResult Run(IngestOptions options, Action<string> log, Action<int, int>? progress = null, CancellationToken cancel = default)
    {
        if (options.Problems().FirstOrDefault() is { } problem) throw new ArgumentException(problem);
        var ffmpeg = Ffmpeg.Find() ?? throw new FileNotFoundException(Ffmpeg.MissingLine);
        var videos = List(options);
        string root = Path.GetFullPath(options.Output);
        Directory.CreateDirectory(root);
        string staging = Path.Combine(root, StagingFolder);
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);

        int written = 0, done = 0, finished = 0;
        var leftOut = new List<string>();
        progress?.Invoke(0, videos.Count);
        Parallel.ForEach(videos, new ParallelOptions { MaxDegreeOfParallelism = options.JobsOrCores, CancellationToken = cancel }, video =>
        {
            string target = Target(root, video, options.AudioOnly);
            if (Path.Exists(target)) Interlocked.Increment(ref done);
            else if (Convert(ffmpeg, video, options, Target(staging, video, options.AudioOnly), target, cancel) is { } reason)
            {
                string line = $"skipped video {video.Path}: {reason}";
                lock (leftOut) leftOut.Add(line);
                log(line);
            }
            else Interlocked.Increment(ref written);
            progress?.Invoke(Interlocked.Increment(ref finished), videos.Count);
        });
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        string list = WriteList(root, videos, options);
        return new IngestResult(written, done, leftOut.Order(StringComparer.Ordinal).ToList(), list);
    }

    /// <summary>Where a clip goes under <paramref name="root"/>.</summary>
    private static string Target(string root, Video v, bool audioOnly) =>
        Path.Combine(root, FolderName(v.Label), audioOnly ? v.Clip + ".wav" : v.Clip);

    /// <summary>Probes, converts into <paramref name="stage"/> and moves it to <paramref name="target"/>; null when done,
    /// else why the video is left out.</summary>
    private static string? Convert(Ffmpeg ffmpeg, Video video, IngestOptions o, string stage, string target, CancellationToken cancel)
    {
        if (!File.Exists(video.Path)) return "file not found";
        var (probeCode, streams, probeError) = Ffmpeg.Run(ffmpeg.FfprobePath,
            ["-v", "error", "-show_entries", "stream=codec_type", "-of", "csv=p=0", video.Path], cancel);
        if (probeCode != 0) return $"ffmpeg cannot read it ({(probeError.Length > 0 ? probeError : $"ffprobe exit code {probeCode}")})";
        var types = streams.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => t.TrimEnd(',')).ToHashSet();
        if (!types.Contains("audio")) return "no audio track";
        if (!o.AudioOnly && !types.Contains("video")) return "no video track";

        string rate = o.SampleRate.ToString(CultureInfo.InvariantCulture);
        var args = new List<string> { "-nostdin", "-v", "error", "-y", "-i", video.Path };
        string wav;
        if (o.AudioOnly)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(stage)!);
            wav = stage;
        }
        else
        {
            Directory.CreateDirectory(stage);
            wav = Path.Combine(stage, Paired.VideoFrames.AudioFile);
            // fps=R stamps output frame n at n/R (nearest input frame), which FrameTrack.TimeOf assumes; the scale
            // keeps the aspect with the short side at Size (-2: the even width or height that keeps it).
            string fps = o.Fps.ToString("R", CultureInfo.InvariantCulture), size = o.Size.ToString(CultureInfo.InvariantCulture);
            args.AddRange(["-map", "0:v:0", "-vf", $"fps={fps},scale='if(gt(iw,ih),-2,{size})':'if(gt(iw,ih),{size},-2)'", "-q:v", "3", Path.Combine(stage, "frame_%04d.jpg")]);
        }
        args.AddRange(["-map", "0:a:0", "-ac", "1", "-ar", rate, "-c:a", "pcm_s16le", wav]);
        var (code, _, error) = Ffmpeg.Run(ffmpeg.FfmpegPath, args, cancel);
        if (code != 0) return $"ffmpeg failed ({(error.Length > 0 ? error : $"exit code {code}")})";
        if (!File.Exists(wav) || new FileInfo(wav).Length <= 44) return "its audio track decodes to no samples";
        if (!o.AudioOnly && Paired.VideoFrames.Frames(stage, o.Fps) is null) return "its video track decodes to no frames";
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (o.AudioOnly) File.Move(stage, target);
        else Directory.Move(stage, target);
        return null;
    }

    /// <summary>The videos with their labels, sorted by path: from the labels CSV, or every video below the input
    /// folder labelled by its first folder.</summary>
    private static List<Video> List(IngestOptions o)
    {
        string input = Path.GetFullPath(o.Input);
        var extensions = o.AudioOnly ? [.. IngestOptions.VideoExtensions, ".m4a", ".aac"] : IngestOptions.VideoExtensions;
        List<(string Path, string Label, int Fold)> found;
        if (o.LabelsCsv is { } csv)
        {
            var table = ManifestTable.Read(csv, ["video", "label"], "video,label[,fold]");
            found = table.Rows.Select(r =>
            {
                string v = r.Text("video");
                return (Path.GetFullPath(Path.IsPathRooted(v) ? v : Path.Combine(input, v)), r.Text("label"), r.Integer("fold"));
            }).ToList();
        }
        else
        {
            found = Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories)
                .Where(f => extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .Where(f => !Path.GetRelativePath(input, f).StartsWith('.'))
                .Select(f =>
                {
                    string relative = Path.GetRelativePath(input, f);
                    int slash = relative.IndexOfAny(['/', '\\']);
                    return (f, slash < 0 ? IngestOptions.NoFolderLabel : relative[..slash], 0);
                }).ToList();
        }
        if (found.Count == 0)
            throw new InvalidDataException(o.LabelsCsv is not null ? $"{o.LabelsCsv}: no rows" : $"{input}: no {string.Join("/", extensions)} files");
        // A clip is named by its file's name; two of one label with the same name are told apart by their path.
        var clashes = found.GroupBy(v => (FolderName(v.Label), Path.GetFileNameWithoutExtension(v.Path))).Where(g => g.Count() > 1).SelectMany(g => g).Select(v => v.Path).ToHashSet();
        return found.Select(v => new Video(v.Path, v.Label, v.Fold, FolderName(clashes.Contains(v.Path)
                ? Path.ChangeExtension(Path.GetRelativePath(input, v.Path), null).Replace('/', '_').Replace('\\', '_') + Path.GetExtension(v.Path).Replace('.', '_')
                : Path.GetFileNameWithoutExtension(v.Path))))
            .OrderBy(v => v.Path, StringComparer.Ordinal).ToList();
    }

    /// <summary>A label or clip name as one folder name.</summary>
    private static string FolderName(string name)
    {
        var invalid = Path.GetInvalidFileNameChars();
        var s = new string(name.Select(c => invalid.Contains(c) || c == '\\' ? '_' : c).ToArray()).Trim();
        return s.Length == 0 || s.StartsWith('.') ? "_" + s : s;
    }

    /// <summary>Every clip now in place (this run's and earlier runs'), relative to the root.</summary>
    private static string WriteList(string root, IReadOnlyList<Video> videos, IngestOptions o)
    {
        bool folds = videos.Any(v => v.Fold != 0);
        string path = Path.Combine(root, o.AudioOnly ? ManifestCsv : ClipsCsv);
        var text = new StringBuilder((o.AudioOnly ? "path" : "clip") + ",label" + (folds ? ",fold" : "") + "\n");
        foreach (var v in videos)
        {
            string target = Target(root, v, o.AudioOnly);
            if (!Path.Exists(target)) continue;
            text.Append(Csv(Path.GetRelativePath(root, target).Replace('\\', '/'))).Append(',').Append(Csv(v.Label));
            if (folds) text.Append(',').Append(v.Fold.ToString(CultureInfo.InvariantCulture));
            text.Append('\n');
        }
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static string Csv(string field) => field.IndexOfAny([',', '"', '\n']) < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";
}
