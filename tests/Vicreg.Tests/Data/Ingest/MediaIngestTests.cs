using SixLabors.ImageSharp;
using Vicreg.Data.Audio;
using Vicreg.Data.Ingest;
using Vicreg.Data.Paired;
using Vicreg.Tests.Training.Distributed;
using Vicreg.Tests.Training;
using Vicreg.Runs;
using Vicreg.Training;

namespace Vicreg.Tests.Data.Ingest;

/// <summary>
/// `vicreg ingest` on videos that ffmpeg generates: 3-s testsrc pictures with a sine soundtrack (copied into two
/// label folders), one without a soundtrack and one cut short. The ingest is killed (SIGKILL, the whole process tree)
/// once its first clip is in place, run again, and the result pretrained on for one epoch.
/// </summary>
public class MediaIngestTests
{
    private const int Good = 8;

    /// <summary>in/bird/clip0..3.mp4, in/car/clip4..7.mp4 (one video, copied), in/car/mute.mp4 (no audio),
    /// in/bird/cut.mp4 (the first 60% of a video: its index, at the end, is missing).</summary>
    private static string MakeVideos(string root)
    {
        string input = Path.Combine(root, "in");
        foreach (var label in new[] { "bird", "car" }) Directory.CreateDirectory(Path.Combine(input, label));
        string good = Path.Combine(root, "good.mp4"), mute = Path.Combine(input, "car", "mute.mp4");
        string[] picture = ["-f", "lavfi", "-i", "testsrc=size=64x48:rate=10:duration=3"];
        FfmpegRun([.. picture, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000:duration=3", "-c:v", "mpeg4", "-c:a", "aac", "-shortest", good]);
        FfmpegRun([.. picture, "-c:v", "mpeg4", mute]);
        for (int i = 0; i < Good; i++) File.Copy(good, Path.Combine(input, i < Good / 2 ? "bird" : "car", $"clip{i}.mp4"));
        var bytes = File.ReadAllBytes(good);
        File.WriteAllBytes(Path.Combine(input, "bird", "cut.mp4"), bytes[..(bytes.Length * 6 / 10)]);
        return input;
    }

    private static void FfmpegRun(string[] arguments)
    {
        var (code, _, error) = Ffmpeg.Run(Ffmpeg.Find()!.FfmpegPath, ["-nostdin", "-v", "error", "-y", .. arguments], CancellationToken.None);
        Assert.True(code == 0, $"ffmpeg failed: {error}");
    }

    [FfmpegFact]
    public void Videos_become_frame_folders_with_their_soundtrack_resume_after_a_kill_and_pretrain()
    {
        using var tiny = new TinyExperiment();
        string input = MakeVideos(tiny.Root), output = Path.Combine(tiny.Root, "clips");
        string[] arguments = ["ingest", "videos", "--in", input, "--out", output, "--fps", "2", "--sample-rate", "8000", "--size", "32", "--jobs", "1"];

        // Killed once the first clip is in place: the clips in place stay, what was being written is redone.
        using (var first = MpiRun.Start(1, tiny.Root, arguments))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (Finished(output) == 0 && !first.Process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(3)) Thread.Sleep(5);
            first.Process.Kill(entireProcessTree: true);
            first.Process.WaitForExit();
        }
        int beforeKill = Finished(output);
        Assert.InRange(beforeKill, 1, Good - 1);
        var survivor = Directory.GetDirectories(Path.Combine(output, "bird")).Order(StringComparer.Ordinal).First();
        var survivorWritten = File.GetLastWriteTimeUtc(Path.Combine(survivor, VideoFrames.AudioFile));
        // A clip half written when the process died, as a kill between two files leaves it.
        string half = Path.Combine(output, MediaIngest.StagingFolder, "car", "clip7");
        Directory.CreateDirectory(half);
        File.WriteAllBytes(Path.Combine(half, "frame_0001.jpg"), [0xFF, 0xD8]);

        var lines = new List<string>();
        var result = MediaIngest.Run(new IngestOptions(input, output, Fps: 2, SampleRate: 8000, Size: 32, Jobs: 2), line => { lock (lines) lines.Add(line); });

        Assert.Equal((Good - beforeKill, beforeKill), (result.Written, result.AlreadyDone));
        Assert.Equal(survivorWritten, File.GetLastWriteTimeUtc(Path.Combine(survivor, VideoFrames.AudioFile)));
        Assert.Equal(2, result.LeftOut.Count);
        Assert.Equal(result.LeftOut, lines.Order(StringComparer.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"skipped video {Path.Combine(input, "bird", "cut.mp4")}: ffmpeg cannot read it (", StringComparison.Ordinal));
        Assert.Contains($"skipped video {Path.Combine(input, "car", "mute.mp4")}: no audio track", lines);
        Assert.False(Directory.Exists(Path.Combine(output, MediaIngest.StagingFolder)));

        // The layout: 6 frames at 2/s, 32 px high (the short side), and 3 s of mono sound at 8 kHz.
        foreach (var clip in Directory.GetDirectories(output, "clip*", SearchOption.AllDirectories))
        {
            var frames = VideoFrames.Frames(clip, 2)!;
            Assert.Equal(Enumerable.Range(0, 6).Select(k => k / 2.0), frames.Seconds);
            var size = Image.Identify(frames.Files[0]);
            Assert.Equal((42, 32), (size.Width, size.Height));
            var sound = AudioDecoder.Decode(Path.Combine(clip, VideoFrames.AudioFile), 0);
            Assert.Equal((8000, 1), (sound.SourceRate, sound.SourceChannels));
            Assert.InRange(sound.Samples.Length, 24000 - 1024, 24000 + 1024);
        }
        var csv = File.ReadAllLines(result.ListPath);
        Assert.Equal(["clip,label", .. Enumerable.Range(0, Good).Select(i => i < Good / 2 ? $"bird/clip{i},bird" : $"car/clip{i},car")], csv);

        // One epoch on the result: every clip trains (a label's every 5th clip is held out, and each has 4), 4 steps of 2.
        var c = tiny.PairedConfig("ingested", "data.kind=video-frames", $"data.paired.frames.root={output.Replace("\\", "/")}",
            "data.paired.frames.fps=2", "optim.epochs=1", "optim.batch_size=2", "eval.linear_probe=false", "output.plots=false");
        var outcome = PretrainJob.Run(c, NullObserver.Instance);
        Assert.Equal((4L, 4L), (outcome.StepsTaken, outcome.TotalSteps));
    }

    private static int Finished(string output) =>
        Directory.Exists(output) ? Directory.GetDirectories(output).Where(d => Path.GetFileName(d) != MediaIngest.StagingFolder).Sum(d => Directory.GetDirectories(d).Length) : 0;

    [FfmpegFact]
    public void Audio_only_writes_a_wav_per_video_and_a_manifest()
    {
        using var dir = new TempDir();
        string input = MakeVideos(dir.Path), output = Path.Combine(dir.Path, "sounds");
        var result = MediaIngest.Run(new IngestOptions(input, output, SampleRate: 16000, AudioOnly: true), _ => { });
        Assert.Equal((Good, 2), (result.Written, result.LeftOut.Count));
        var manifest = AudioManifest.Load(result.ListPath);
        Assert.Equal(Good, manifest.Samples.Count);
        Assert.All(manifest.Samples, s => Assert.InRange(AudioDecoder.Decode(s.Path, 0).Samples.Length, 48000 - 2048, 48000 + 2048));
    }
}
