using System.Diagnostics;
using System.Globalization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Vicreg.Data;
using Vicreg.Data.Views;

namespace Vicreg.Tooling.Bench;

/// <summary>Two-view pairs per second (decode included) with a given number of worker threads.</summary>
public sealed record AugmentBenchRow(int Workers, double PairsPerSecond, double[] Rounds, double PairsPerCpuSecond,
    double? ReferencePairsPerSecond = null, double? ReferencePairsPerCpuSecond = null)
{
    public double PerWorker => PairsPerSecond / Workers;
}

/// <summary>What <see cref="AugmentBenchmark.Run"/> measured.</summary>
public sealed record AugmentBenchResult(IReadOnlyList<AugmentBenchRow> Rows, double DecodeMs, double ViewsMs, int Files, long PeakRssBytes);

/// <summary>
/// Times the official two-view augmentation (views A and B at 224 px) on the same files the PyTorch
/// reference reads: each pair is one file read + JPEG decode + two views written as normalised floats,
/// as torchvision's ImageFolder + TrainTransform do per sample. Medians over rounds.
/// </summary>
public static class AugmentBenchmark
{
    /// <summary>Seconds of untimed work before each measurement, so that .NET's tiered JIT has
    /// recompiled the hot loops (a long training run only ever sees that steady state).</summary>
    public const double WarmupSeconds = 1.5;

    /// <summary>At least this many untimed pairs per worker as well (on a busy machine 1.5 s of wall
    /// time may hold little CPU time).</summary>
    public const int WarmupPairs = 300;

    /// <param name="reference">When given, one torchvision + PIL round runs after each of this project's
    /// rounds (interleaved, so both see the same load) and its medians go into the rows.</param>
    public static AugmentBenchResult Run(IReadOnlyList<string> files, int pairsPerWorker, int rounds, IReadOnlyList<int> workerCounts,
        int size, Action<string> print, TorchvisionReference? reference = null)
    {
        if (files.Count == 0) throw new ArgumentException("no images to benchmark");
        if (pairsPerWorker < 1 || rounds < 1) throw new ArgumentException("need --pairs ≥ 1 and --rounds ≥ 1");
        var samples = files.Select(f => new Sample(f, 0)).ToArray();
        using var loader = new ImageLoader(samples, log: Console.Error);
        var viewA = ViewAugmentation.OfficialViewA(size);
        var viewB = ViewAugmentation.OfficialViewB(size);

        var rows = new List<AugmentBenchRow>();
        foreach (int workers in workerCounts)
        {
            var times = new double[rounds];
            var cpuRates = new double[rounds];
            var refRates = new double[rounds];
            var refCpuRates = new double[rounds];
            int total = pairsPerWorker * workers;
            // Warm-up until the JIT has tiered up the hot loops (steady state, as in a long training run).
            int warmed = 0;
            for (var warm = Stopwatch.StartNew(); warm.Elapsed.TotalSeconds < WarmupSeconds || warmed < WarmupPairs * workers; warmed += 4 * workers)
                Pairs(loader, samples.Length, 4 * workers, workers, viewA, viewB, size);
            for (int r = 0; r < rounds; r++)
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var c = Stopwatch.StartNew();
                Pairs(loader, samples.Length, total, workers, viewA, viewB, size);
                times[r] = total / c.Elapsed.TotalSeconds;
                cpuRates[r] = total / (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                if (reference is not null) (refRates[r], refCpuRates[r]) = reference.Round(workers);
            }
            var sorted = times.OrderBy(t => t).ToArray();
            static double Median(double[] v) => v.Order().ElementAt(v.Length / 2);
            var row = new AugmentBenchRow(workers, sorted[rounds / 2], times, Median(cpuRates),
                reference is null ? null : Median(refRates), reference is null ? null : Median(refCpuRates));
            rows.Add(row);
            print(string.Create(CultureInfo.InvariantCulture,
                $"this project, {workers} worker(s): {row.PairsPerSecond:F1} pairs/s ({row.PerWorker:F1} per worker; rounds {string.Join(", ", times.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))}), {row.PairsPerCpuSecond:F1} pairs per CPU-second"));
            if (reference is not null)
                print(string.Create(CultureInfo.InvariantCulture,
                    $"torchvision + PIL, {workers} worker(s): {row.ReferencePairsPerSecond:F1} pairs/s ({row.ReferencePairsPerSecond / workers:F1} per worker; rounds {string.Join(", ", refRates.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))}), {row.ReferencePairsPerCpuSecond:F1} pairs per CPU-second"));
        }
        // Profile (1 thread, after the timed runs so the JIT has settled): decode alone, then the two views alone.
        var decoded = new List<Image<Rgb24>>();
        for (int i = 0; i < samples.Length; i++)
            if (loader.TryLoad(i) is { } img) decoded.Add(img);
        if (decoded.Count == 0) throw new InvalidDataException("none of the benchmark images could be decoded");
        var buf = new float[3 * size * size];
        for (var warm = Stopwatch.StartNew(); warm.Elapsed.TotalSeconds < WarmupSeconds;)
            for (int i = 0; i < decoded.Count; i++)
            {
                using (loader.TryLoad(i)) { }
                ImageAugmenter.ApplyInto(decoded[i], viewA, new Random(i), buf);
                ImageAugmenter.ApplyInto(decoded[i], viewB, new Random(i), buf);
            }
        // CPU time of this process (one busy thread here), which a loaded machine disturbs less than wall time.
        static double CpuMs() => Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
        int decodeReps = Math.Max(pairsPerWorker, samples.Length);
        double start = CpuMs();
        for (int k = 0; k < decodeReps; k++)
            using (loader.TryLoad(k % samples.Length)) { }
        double decodeMs = (CpuMs() - start) / decodeReps;
        int viewReps = Math.Max(pairsPerWorker, decoded.Count);
        start = CpuMs();
        for (int k = 0; k < viewReps; k++)
        {
            var rng = SeedMix.Rng(7, k);
            ImageAugmenter.ApplyInto(decoded[k % decoded.Count], viewA, rng, buf);
            ImageAugmenter.ApplyInto(decoded[k % decoded.Count], viewB, rng, buf);
        }
        double viewsMs = (CpuMs() - start) / viewReps;
        foreach (var d in decoded) d.Dispose();
        print(string.Create(CultureInfo.InvariantCulture,
            $"profile (1 thread, CPU time): read+decode {decodeMs:F2} ms/image, two views {viewsMs:F2} ms/pair ({files.Count} files)"));

        if (rows.Count > 1)
            print(string.Create(CultureInfo.InvariantCulture,
                $"scaling: {rows[^1].PairsPerSecond / rows[0].PairsPerSecond:F2}× from {rows[0].Workers} to {rows[^1].Workers} workers ({Environment.ProcessorCount} cores visible)"));
        // The real loader: worker threads filling batch tensors through the bounded queue.
        {
            int workers = workerCounts.Max(), batch = 32, prefetch = 2, batches = 6;
            var many = Enumerable.Range(0, batch * batches).Select(i => samples[i % samples.Length]).ToArray();
            using var batchLoader = new ImageLoader(many, log: Console.Error);
            var loaderRun = new TwoViewBatches(many, new BranchInput(batchLoader, new ImageViewRecipe(viewA, viewA.Size)), new BranchInput(batchLoader, new ImageViewRecipe(viewB, viewB.Size)), batch, 1, workers, prefetch);
            var c = Stopwatch.StartNew();
            int n = 0;
            foreach (var b in loaderRun.Epoch(0))
                using (b) n += b.Count;
            print(string.Create(CultureInfo.InvariantCulture,
                $"loader ({workers} workers, batch {batch}, prefetch {prefetch}): {n / c.Elapsed.TotalSeconds:F1} pairs/s, peak {loaderRun.PeakBytesInFlight / (1024.0 * 1024):F1} MiB held (bound: {prefetch} batches of {2.0 * batch * 3 * size * size * 4 / (1024 * 1024):F1} MiB + one decoded image per worker)"));
        }
        long peak = PeakRss();
        if (peak > 0) print($"peak resident memory of this process: {peak / (1024.0 * 1024):F0} MiB");
        return new AugmentBenchResult(rows, decodeMs, viewsMs, files.Count, peak);
    }

    /// <summary><paramref name="total"/> pairs over the files (round robin), shared by <paramref name="workers"/> threads.</summary>
    private static void Pairs(ImageLoader loader, int files, int total, int workers, ViewAugmentation a, ViewAugmentation b, int size)
    {
        int next = -1;
        var threads = Enumerable.Range(0, workers).Select(_ => new Thread(() =>
        {
            var buf = new float[2 * 3 * size * size];
            int k;
            while ((k = Interlocked.Increment(ref next)) < total)
            {
                using var img = loader.TryLoad(k % files);
                if (img is null) continue;
                var rng = SeedMix.Rng(11, k);
                ImageAugmenter.ApplyInto(img, a, rng, buf.AsSpan(0, 3 * size * size));
                ImageAugmenter.ApplyInto(img, b, rng, buf.AsSpan(3 * size * size));
            }
        }) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
    }

    /// <summary>VmHWM from /proc/self/status (Linux); 0 elsewhere.</summary>
    public static long PeakRss()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return 0;
    }
}
