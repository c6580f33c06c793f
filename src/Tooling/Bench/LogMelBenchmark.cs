using System.Diagnostics;
using System.Globalization;
using Vicreg.Data.Audio;
using Vicreg.Encoders.Audio;
using static TorchSharp.torch;

namespace Vicreg.Tooling.Bench;

/// <summary>Log-mel throughput on a folder of audio clips: seconds of audio turned into normalised log-mel per
/// second of compute (decode excluded), median of the repeats.</summary>
public sealed record LogMelBenchResult(int Clips, double ClipSeconds, int Batch, int Repeats, int Threads, double MedianSeconds)
{
    public double ClipsPerSecond => Clips / MedianSeconds;
    public double AudioSecondsPerSecond => Clips * ClipSeconds / MedianSeconds;
}

public static class LogMelBenchmark
{
    /// <summary>Settings of the paper-style front end that the reference script uses too (bench/reference/logmel_bench.py).</summary>
    public static readonly LogMelOptions Settings = new() { SampleRate = 16000, NFft = 512, WinLength = 400, HopLength = 160, NMels = 64 };

    public static LogMelBenchResult Run(string folder, int batch, int repeats, Action<string> print)
    {
        var files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => AudioFormats.Extensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0) throw new FileNotFoundException($"{folder}: no {string.Join("/", AudioFormats.Extensions)} files to benchmark");
        var clips = files.Select(f => AudioDecoder.Decode(f, Settings.SampleRate).Samples).ToArray();
        int length = clips.Min(c => c.Length);
        var flat = new float[clips.Length * length];
        for (int i = 0; i < clips.Length; i++) clips[i].AsSpan(0, length).CopyTo(flat.AsSpan(i * length));
        using var audio = tensor(flat, new long[] { clips.Length, 1, length });
        using var logMel = new LogMel(Settings);
        double clipSeconds = length / (double)Settings.SampleRate;
        print($"log-mel of {clips.Length} clips × {clipSeconds:F2} s at {Settings.SampleRate} Hz (n_fft {Settings.NFft}, hop {Settings.HopLength}, " +
              $"{Settings.NMels} mels), batches of {batch}, {get_num_threads()} threads, median of {repeats}");
        var times = new List<double>();
        using var noGrad = no_grad();
        for (int r = 0; r <= repeats; r++) // the first pass warms up
        {
            var clock = Stopwatch.StartNew();
            for (int start = 0; start < clips.Length; start += batch)
            {
                using var scope = NewDisposeScope();
                logMel.call(audio.narrow(0, start, Math.Min(batch, clips.Length - start)));
            }
            if (r > 0) times.Add(clock.Elapsed.TotalSeconds);
        }
        times.Sort();
        var result = new LogMelBenchResult(clips.Length, clipSeconds, batch, repeats, get_num_threads(), times[times.Count / 2]);
        print($"  this project: {result.MedianSeconds * 1000:F1} ms for all clips, {result.ClipsPerSecond:F0} clips/s, " +
              $"{result.AudioSecondsPerSecond:F0} s of audio per second (runs: {string.Join(", ", times.Select(t => (t * 1000).ToString("F0", CultureInfo.InvariantCulture)))} ms)");
        return result;
    }

    public static void AppendCsv(string path, LogMelBenchResult r)
    {
        bool header = !File.Exists(path);
        using var w = new StreamWriter(path, append: true);
        if (header) w.WriteLine("clips,clip_seconds,batch,repeats,threads,median_seconds,clips_per_second");
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Clips},{r.ClipSeconds},{r.Batch},{r.Repeats},{r.Threads},{r.MedianSeconds},{r.ClipsPerSecond}"));
    }
}
