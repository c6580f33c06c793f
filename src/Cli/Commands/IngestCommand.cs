using System.CommandLine;
using Spectre.Console;
using Vicreg.Data.Ingest;

namespace Vicreg.Cli.Commands;

/// <summary>vicreg ingest videos|audio --in DIR --out DIR: videos through ffmpeg into the video-frames layout (frames +
/// audio.wav per clip) or, audio only, the audio-folder layout. The work is <see cref="MediaIngest"/>'s; this parses the
/// options and shows progress.</summary>
internal static class IngestCommand
{
    public static Command Create() =>
        new("ingest", "Turn a folder of videos (MP4, WebM, MKV, AVI, MOV) into a training layout with ffmpeg; resumable.")
        {
            Make("videos", "Frames at --fps (short side --size) and the mono soundtrack at --sample-rate, one folder per clip (data.kind video-frames); writes clips.csv.", audioOnly: false),
            Make("audio", "Only the mono soundtrack at --sample-rate, one .wav per clip in a folder per label (data.kind audio-folder); writes manifest.csv.", audioOnly: true),
        };

    private static Command Make(string name, string description, bool audioOnly)
    {
        var input = new Option<DirectoryInfo>("--in") { Description = "Folder searched recursively for videos", Required = true };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Output root (created; a finished clip there is not redone)", Required = true };
        var fps = new Option<double>("--fps") { Description = "Frames per second of video", DefaultValueFactory = _ => 1.0 };
        var rate = new Option<int>("--sample-rate") { Description = "Soundtrack rate in Hz", DefaultValueFactory = _ => 16000 };
        var size = new Option<int>("--size") { Description = "Short side of the frames in pixels", DefaultValueFactory = _ => 256 };
        var labels = new Option<string>("--labels-from") { Description = "'folders' (a video's first folder below --in) or a CSV of video,label[,fold] with video paths relative to --in", DefaultValueFactory = _ => "folders" };
        var jobs = new Option<int>("--jobs", "-j") { Description = "Videos converted at once (default: the number of cores)", DefaultValueFactory = _ => 0 };
        var command = new Command(name, description) { input, output, rate, labels, jobs };
        if (!audioOnly) { command.Options.Add(fps); command.Options.Add(size); }
        command.SetAction(parse => Output.Guard(() =>
        {
            string from = parse.GetValue(labels)!;
            var options = new IngestOptions(parse.GetValue(input)!.FullName, parse.GetValue(output)!.FullName,
                audioOnly ? 1 : parse.GetValue(fps), parse.GetValue(rate), audioOnly ? 256 : parse.GetValue(size),
                from == "folders" ? null : Path.GetFullPath(from), audioOnly, parse.GetValue(jobs));
            if (options.Problems().FirstOrDefault() is { } problem) return Output.Fail(problem);
            if (Ffmpeg.Find() is null) return Output.Fail(Ffmpeg.MissingLine);
            var info = new ConsoleObserver().Info;
            using var cancel = new CancellationTokenSource();
            using var signals = StopSignals.Register(cancel, info, stopping: "stopping ffmpeg; the clips in place are kept, the ones being written are redone next time");
            IngestResult? result = null;
            if (Output.Interactive)
                AnsiConsole.Progress().AutoClear(false)
                    .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                    .Start(ctx =>
                    {
                        var task = ctx.AddTask("videos");
                        result = MediaIngest.Run(options, line => AnsiConsole.MarkupLineInterpolated($"[yellow]{line}[/]"),
                            (doneCount, total) => { task.MaxValue = Math.Max(1, total); task.Value = doneCount; task.Description = $"videos {doneCount}/{total}"; }, cancel.Token);
                    });
            else
            {
                int lastTenth = -1;
                result = MediaIngest.Run(options, Console.WriteLine, (doneCount, total) =>
                {
                    int tenth = doneCount * 10 / Math.Max(1, total);
                    if (Interlocked.Exchange(ref lastTenth, tenth) != tenth) Console.WriteLine($"ingest: {doneCount}/{total} videos");
                }, cancel.Token);
            }
            Console.WriteLine($"ingest: {result!.Clips} clips in {options.Output} ({result.Written} written now, {result.AlreadyDone} already done), " +
                              $"{result.LeftOut.Count} video(s) left out; list: {result.ListPath}");
            return 0;
        }));
        return command;
    }
}
