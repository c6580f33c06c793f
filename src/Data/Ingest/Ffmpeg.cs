using System.Diagnostics;

namespace Vicreg.Data.Ingest;

/// <summary>
/// The ffmpeg and ffprobe programs found on PATH, run as child processes. A run that is cancelled kills its
/// process (and the process's own children), so a stopped ingest leaves no ffmpeg behind.
/// </summary>
public sealed class Ffmpeg
{
    private Ffmpeg(string ffmpeg, string ffprobe) { FfmpegPath = ffmpeg; FfprobePath = ffprobe; }

    public string FfmpegPath { get; }
    public string FfprobePath { get; }

    /// <summary>Both programs, or null when either is missing.</summary>
    public static Ffmpeg? Find() =>
        OnPath("ffmpeg") is { } ffmpeg && OnPath("ffprobe") is { } ffprobe ? new Ffmpeg(ffmpeg, ffprobe) : null;

    /// <summary>The one line for a machine without ffmpeg.</summary>
    public const string MissingLine = "ffmpeg and ffprobe were not found on PATH: install ffmpeg (Debian/Ubuntu: apt-get install ffmpeg) to ingest videos";

    public static string? OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

    /// <summary>Runs a program to its end: its exit code, standard output and the last line of its standard error.</summary>
    public static (int ExitCode, string Output, string LastError) Run(string program, IReadOnlyList<string> arguments, CancellationToken cancel)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new IOException($"{program} could not be started");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using (cancel.Register(() => { try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }))
            process.WaitForExit();
        cancel.ThrowIfCancellationRequested();
        string last = error.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
        return (process.ExitCode, output.Result, last);
    }
}
