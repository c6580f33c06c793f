using System.Diagnostics;
using Vicreg.Data.Audio;

namespace Vicreg.Tooling.Bench;

/// <summary>Audio decode throughput on one thread: each file decoded to mono at its own rate (no resampling), median
/// of the repeats, as seconds of audio per second of compute (bench/decode_vs_ffmpeg.sh times ffmpeg beside it).</summary>
public static class DecodeBenchmark
{
    public sealed record Result(string File, AudioFormat Format, double AudioSeconds, double MedianSeconds)
    {
        public double Realtime => AudioSeconds / MedianSeconds;
    }

    public static IReadOnlyList<Result> Run(string folder, int repeats, Action<string> print)
    {
        var files = Directory.GetFiles(folder).Where(f => AudioFormats.Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0) throw new FileNotFoundException($"{folder}: no {string.Join("/", AudioFormats.Extensions)} files to benchmark");
        var results = new List<Result>();
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file); // decode from memory: disk speed is not measured
            var format = AudioFormats.Sniff(bytes.AsSpan(0, Math.Min(bytes.Length, AudioFormats.SniffBytes)));
            double seconds = AudioDecoder.Decode(new MemoryStream(bytes), 0).Seconds; // also the warm-up
            var times = new List<double>();
            for (int r = 0; r < repeats; r++)
            {
                var clock = Stopwatch.StartNew();
                AudioDecoder.Decode(new MemoryStream(bytes), 0);
                times.Add(clock.Elapsed.TotalSeconds);
            }
            times.Sort();
            var result = new Result(Path.GetFileName(file), format, seconds, times[times.Count / 2]);
            results.Add(result);
            print($"decode {result.File} ({format.Name()}, {seconds:F1} s of audio): median {result.MedianSeconds * 1000:F1} ms of {repeats}, {result.Realtime:F0}× real time on one thread");
        }
        return results;
    }
}
