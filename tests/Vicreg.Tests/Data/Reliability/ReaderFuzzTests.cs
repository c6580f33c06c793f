using System.Diagnostics;
using Vicreg.Data;
using Vicreg.Data.Audio;
using Vicreg.Training.Config;
using Xunit.Abstractions;

namespace Vicreg.Tests.Data.Reliability;

/// <summary>
/// A seeded, deterministic fuzz of every reader: 2,500 byte-level mutations (<see cref="Mutator"/>) of the corpus
/// files in tests/fixtures/bad/ (images of every format, WAVs of every layout, the FLAC, Ogg Vorbis, Ogg Opus and MP3
/// files of tests/fixtures/media, the file lists and manifests in
/// lists/, the configs) and of experiments/*.json. Each case must either read or give one line that names the
/// file, without stack-trace text; it runs under a time box (<see cref="CaseLimit"/>, a hang fails the test) and
/// an allocation bound: managed allocations at most <see cref="ManagedBoundBytes"/> plus 16 bytes per byte of the
/// file, and ImageSharp's buffers within <see cref="ImageLoader.DecodeBudgetBytes"/> at the fuzz's pixel limit
/// (<see cref="FuzzMaxPixels"/>: header fields set to extreme sizes would otherwise legitimately allocate up to
/// Pillow's limit, 179 Mpx, which makes the test slow, not more thorough).
/// </summary>
public class ReaderFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 16;
    private static readonly TimeSpan CaseLimit = TimeSpan.FromSeconds(20);
    private const long ManagedBoundBytes = 64L << 20;
    private const long FuzzMaxPixels = 1 << 22;

    private sealed record Reader(string Name, int Cases, string[] Seeds, Func<string, string?> Read);

    private static string Corpus(params string[] parts) => Fixtures.PathOf(Path.Combine(["bad", .. parts]));

    /// <summary>Reads the file: null when it decoded, else the one line that refused it.</summary>
    private static Reader[] Readers()
    {
        string[] Files(string folder, string pattern = "*") => Directory.GetFiles(Corpus(folder), pattern).Order(StringComparer.Ordinal).ToArray();
        var experiments = Directory.GetFiles(RepoFiles.PathOf("experiments"), "*.json", SearchOption.AllDirectories);
        return new Reader[]
        {
            new("image", 1000, Files("images"), ReadImage),
            new("wav", 600, Files("audio"), ReadAudio),
            new("file list", 120, Files("lists", "images.*"), path => Refusal(path, () => new FileListDataset(path))),
            new("audio manifest", 60, Files("lists", "manifest.csv"), path => Refusal(path, () => AudioManifest.Load(path))),
            new("audioset segments", 60, Files("lists", "segments.csv"), path => Refusal(path, () => AudioSetSegments.Load(path, Corpus("audio")))),
            new("config", 260, Files("configs").Concat(experiments).Order(StringComparer.Ordinal).ToArray(), path => Refusal(path, () => ConfigLoader.LoadFile(path))),
            new("compressed audio", 400, Directory.GetFiles(Fixtures.PathOf("media")).Where(f => AudioFormats.Extensions.Contains(Path.GetExtension(f)) && !f.EndsWith(".wav")).Order(StringComparer.Ordinal).ToArray(), ReadAudio),
        };
    }

    private static long _peakImageBytes;

    private static string? ReadImage(string path)
    {
        var log = new StringWriter();
        using var loader = new ImageLoader(new[] { new Sample(path, 0) }, log: log, options: new ImageDecodeOptions(MaxPixels: FuzzMaxPixels));
        using var image = loader.TryLoad(0);
        long peak = loader.PeakDecodeBytes, bound = ImageLoader.DecodeBudgetBytes(FuzzMaxPixels, 1);
        if (peak > bound) throw new InvalidOperationException($"ImageSharp allocated {peak:N0} bytes, over the bound {bound:N0}");
        InterlockedMax(ref _peakImageBytes, peak);
        if (image is not null) return null;
        return log.ToString().TrimEnd('\n');
    }

    private static string? ReadAudio(string path)
    {
        var lines = new List<string>();
        var loader = new AudioLoader(new[] { new Sample(path, 0) }, 8000, lines.Add);
        var samples = loader.TryLoad(0);
        if (samples is not null)
        {
            if (!samples.All(float.IsFinite)) throw new InvalidOperationException("decoded samples that are not finite");
            return null;
        }
        return string.Join("\n", lines.Where(l => l.StartsWith("skipped ", StringComparison.Ordinal)));
    }

    /// <summary>The exceptions the command line turns into one line (see Output.Guard) are refusals; any other is a crash.</summary>
    private static string? Refusal(string path, Action read)
    {
        try { read(); return null; }
        catch (Exception e) when (e is ConfigException or InvalidDataException or IOException or ArgumentException or InvalidOperationException)
        {
            return e.Message;
        }
    }

    [Fact]
    public async Task EveryReaderSurvivesTwoThousandFiveHundredMutationsWithOneLineOrADecode()
    {
        using var dir = new TempDir();
        var readers = Readers();
        Assert.True(readers.Sum(r => r.Cases) >= 2500);
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        long slowest = 0, mostManaged = 0;
        for (int ri = 0; ri < readers.Length; ri++)
        {
            var reader = readers[ri];
            Assert.NotEmpty(reader.Seeds);
            var rng = new Random(Seed * 1000 + ri);
            var seeds = reader.Seeds.Select(File.ReadAllBytes).ToArray();
            int decoded = 0;
            var reasons = new Dictionary<string, int>();
            for (int k = 0; k < reader.Cases; k++)
            {
                int s = k % seeds.Length;
                var (bytes, what) = Mutator.Mutate(seeds[s], rng);
                // The seed's extension, in a folder beside links to the corpus (lists resolve ../audio/… against their folder).
                string caseDir = Path.Combine(dir.Path, reader.Name.Replace(' ', '-'), "lists");
                if (!Directory.Exists(caseDir))
                {
                    Directory.CreateDirectory(caseDir);
                    foreach (var corpus in new[] { "audio", "images" })
                        Directory.CreateSymbolicLink(Path.Combine(caseDir, "..", corpus), Corpus(corpus));
                }
                string path = Path.Combine(caseDir, $"case{k:D4}-{Path.GetFileName(reader.Seeds[s])}");
                File.WriteAllBytes(path, bytes);
                string label = $"{reader.Name} case {k} ({Path.GetFileName(reader.Seeds[s])}, {what})";
                var caseClock = Stopwatch.StartNew();
                var run = Task.Run(() =>
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    string? line = reader.Read(path);
                    return (line, GC.GetAllocatedBytesForCurrentThread() - before);
                });
                if (await Task.WhenAny(run, Task.Delay(CaseLimit)) != run) { failures.Add($"{label}: no answer within {CaseLimit.TotalSeconds} s (a hang)"); break; }
                slowest = Math.Max(slowest, caseClock.ElapsedMilliseconds);
                if (run.IsFaulted) { failures.Add($"{label}: crashed with {run.Exception!.InnerException!.GetType().Name}: {run.Exception.InnerException.Message}"); continue; }
                var (refusal, managed) = await run;
                mostManaged = Math.Max(mostManaged, managed);
                if (managed > ManagedBoundBytes + 16L * bytes.Length)
                    failures.Add($"{label}: allocated {managed:N0} managed bytes, over the bound {ManagedBoundBytes + 16L * bytes.Length:N0}");
                if (refusal is null) { decoded++; continue; }
                string reason = System.Text.RegularExpressions.Regex.Replace(refusal.Replace(path, "FILE"), "[0-9][0-9,.]*", "N");
                reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
                if (Problem(refusal, path) is { } problem) failures.Add($"{label}: {problem}: \"{refusal}\"");
            }
            output.WriteLine($"{reader.Name}: {reader.Cases} cases from {seeds.Length} seed files, {decoded} read, {reader.Cases - decoded} refused with one line");
            foreach (var (reason, n) in reasons.OrderByDescending(p => p.Value).Take(12)) output.WriteLine($"    {n,4} × {reason}");
        }
        output.WriteLine($"{readers.Sum(r => r.Cases)} cases in {clock.Elapsed.TotalSeconds:F1} s; slowest case {slowest} ms; " +
            $"most managed bytes in one case {mostManaged:N0}; most ImageSharp bytes in one decode {Interlocked.Read(ref _peakImageBytes):N0}");
        Assert.True(failures.Count == 0, $"{failures.Count} failing cases, the first 25:\n" + string.Join("\n", failures.Take(25)));
    }

    /// <summary>What is wrong with a refusal, or null: it must be one non-empty line that names the file, without stack-trace text.</summary>
    private static string? Problem(string line, string path)
    {
        if (line.Length == 0) return "refused without a line";
        if (line.Contains('\n')) return "more than one line";
        if (!line.Contains(path) && !line.Contains(Path.GetFileName(path))) return "does not name the file";
        if (line.Contains("   at ") || line.Contains("Exception:") || line.Contains(".cs:line")) return "stack-trace text";
        return null;
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
