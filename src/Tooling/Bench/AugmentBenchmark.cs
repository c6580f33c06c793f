using System.Diagnostics;
using System.Globalization;
using Vicreg.Data;
using Vicreg.Data.Jpeg;
using Vicreg.Data.Views;
using static TorchSharp.torch;

namespace Vicreg.Tooling.Bench;

/// <summary>Host-stage pairs per second of one mode (decode included) with a given number of worker threads, and the
/// torchvision + PIL reference's rounds interleaved with its own.</summary>
public sealed record AugmentBenchRow(string Mode, int Workers, double PairsPerSecond, double[] Rounds, double PairsPerCpuSecond,
    double? ReferencePairsPerSecond = null, double? ReferencePairsPerCpuSecond = null)
{
    public double PerWorker => PairsPerSecond / Workers;
}

/// <summary>What <see cref="AugmentBenchmark.Run"/> measured. <see cref="LoaderRatio"/>: the loader's pairs/s over its
/// workers' own rate, median of interleaved rounds.</summary>
public sealed record AugmentBenchResult(IReadOnlyList<AugmentBenchRow> Rows, double DecodeMs, double ViewsMs, int Files, long PeakRssBytes,
    double LoaderRatio = double.NaN, double DeviceStageMs = double.NaN);

/// <summary>
/// Times the official two-view augmentation (views A and B at 224 px) on the same files the PyTorch reference reads,
/// in three modes of the loader's host stage: <c>exact</c> (decode bit-exact to PIL, every step on the host),
/// <c>fast</c> (data.decode fast: TurboJPEG at a reduced DCT scale, every step on the host) and <c>device</c>
/// (data.augment_on device with fast decode: the host draws, decodes, crops and resizes to bytes; what the device
/// then does is timed apart, per batch). Each pair is one file read + decode + two views, as torchvision's
/// ImageFolder + TrainTransform do per sample. Medians over rounds.
/// </summary>
public static class AugmentBenchmark
{
    /// <summary>Seconds of untimed work before each measurement, so that .NET's tiered JIT has
    /// recompiled the hot loops (a long training run only ever sees that steady state).</summary>
    public const double WarmupSeconds = 1.5;

    /// <summary>At least this many untimed pairs per worker as well (on a busy machine 1.5 s of wall
    /// time may hold little CPU time).</summary>
    public const int WarmupPairs = 300;

    public static readonly string[] Modes = ["exact", "fast", "device", "loader"];

    /// <param name="reference">When given, one torchvision + PIL round runs after each of this project's
    /// rounds (interleaved, so both see the same load) and its medians go into the rows.</param>
    /// <param name="modes">Which of <see cref="Modes"/> to time.</param>
    public static AugmentBenchResult Run(IReadOnlyList<string> files, int pairsPerWorker, int rounds, IReadOnlyList<int> workerCounts,
        int size, Action<string> print, TorchvisionReference? reference = null, IReadOnlyList<string>? modes = null, int batch = 32, string deviceName = "cpu")
    {
        if (files.Count == 0) throw new ArgumentException("no images to benchmark");
        if (pairsPerWorker < 1 || rounds < 1) throw new ArgumentException("need --pairs ≥ 1 and --rounds ≥ 1");
        modes ??= Modes;
        var samples = files.Select(f => new Sample(f, 0)).ToArray();
        var viewA = ViewAugmentation.OfficialViewA(size);
        var viewB = ViewAugmentation.OfficialViewB(size);
        if (modes.Any(m => m is "fast" or "device") && !TurboJpeg.Available)
            print("note: libturbojpeg.so.0 is not installed, so the fast and device modes decode exactly (apt-get install libturbojpeg0)");

        var rows = new List<AugmentBenchRow>();
        var hostModes = modes.Where(m => m != "loader").ToArray();
        var loaders = hostModes.Select(m => new ImageLoader(samples, log: Console.Error, options: new ImageDecodeOptions(Fast: m != "exact"))).ToArray();
        try
        {
            var makers = hostModes.Select((m, i) => new PairMaker(loaders[i], viewA, viewB, onDevice: m == "device")).ToArray();
            foreach (int workers in workerCounts)
                foreach (var row in TimeRounds(hostModes, makers, workers, rounds, pairsPerWorker, samples.Length, reference))
                {
                    rows.Add(row);
                    print(string.Create(CultureInfo.InvariantCulture,
                        $"{Describe(row.Mode)}, {workers} worker(s): {row.PairsPerSecond:F1} pairs/s ({row.PerWorker:F1} per worker; rounds {string.Join(", ", row.Rounds.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))}), {row.PairsPerCpuSecond:F1} pairs per CPU-second"));
                    if (reference is not null)
                        print(string.Create(CultureInfo.InvariantCulture,
                            $"  torchvision + PIL beside it, {workers} worker(s): {row.ReferencePairsPerSecond:F1} pairs/s ({row.ReferencePairsPerSecond / workers:F1} per worker), {row.ReferencePairsPerCpuSecond:F1} pairs per CPU-second; ratio {row.PairsPerSecond / row.ReferencePairsPerSecond:F2}× (per CPU-second {row.PairsPerCpuSecond / row.ReferencePairsPerCpuSecond:F2}×)"));
                }
        }
        finally
        {
            foreach (var l in loaders) l.Dispose();
        }
        var (decodeMs, viewsMs) = rows.Count > 0 ? Profile(samples, viewA, viewB, pairsPerWorker, print) : (double.NaN, double.NaN);

        var exactRows = rows.Where(r => r.Mode == "exact").ToList();
        if (exactRows.Count > 1)
            print(string.Create(CultureInfo.InvariantCulture,
                $"scaling (exact): {exactRows[^1].PairsPerSecond / exactRows[0].PairsPerSecond:F2}× from {exactRows[0].Workers} to {exactRows[^1].Workers} workers ({Environment.ProcessorCount} cores visible)"));
        Ratios(rows, print);
        if (TurboJpeg.Available && modes.Contains("fast"))
        {
            using var exact = new ImageLoader(samples, log: TextWriter.Null);
            using var fast = new ImageLoader(samples, log: TextWriter.Null, options: new ImageDecodeOptions(Fast: true));
            foreach (var (name, view) in new[] { ("A", viewA), ("B", viewB) })
            {
                var (mean, max) = ViewDifference.Measure(exact, fast, new ImageViewRecipe(view, view.Size), samples.Length, draws: 8, seed: 5);
                print(string.Create(CultureInfo.InvariantCulture, $"fast against exact, view {name} (same draws, 8 per file): mean |difference| {mean:F3} levels, max {max:F0} levels"));
            }
        }

        double deviceMs = double.NaN;
        if (modes.Contains("device"))
            deviceMs = DeviceStage(samples, viewA, viewB, batch, deviceName, print);
        if (modes.Contains("device") && rows.FirstOrDefault(r => r.Mode == "device" && r.Workers == 1) is { } one)
        {
            double perCore = one.PairsPerCpuSecond;
            string feeds = string.Join(", ", new[] { 1, 2, 4, 8, 16, 32 }.Select(n => string.Create(CultureInfo.InvariantCulture, $"{n} cores {n * perCore:F0}")));
            print(string.Create(CultureInfo.InvariantCulture, $"host stage in device mode feeds {perCore:F0} pairs/s per core (CPU-second): {feeds} pairs/s; compare with `vicreg bench train`'s samples/s on the training device"));
        }

        // The real loader (exact mode, as the training default), interleaved with its workers alone at the same count.
        double loaderRatio = modes.Contains("loader") ? LoaderEfficiency(samples, viewA, viewB, workerCounts.Max(), batch, rounds, print) : double.NaN;
        long peak = PeakRss();
        if (peak > 0) print($"peak resident memory of this process: {peak / (1024.0 * 1024):F0} MiB");
        return new AugmentBenchResult(rows, decodeMs, viewsMs, files.Count, peak, loaderRatio, deviceMs);
    }

    private static string Describe(string mode) => mode switch
    {
        "exact" => "exact (data.decode exact, every step on the host)",
        "fast" => "fast (data.decode fast: TurboJPEG at a reduced scale where one holds the crops, every step on the host)",
        _ => "device mode, host part (fast decode, crop + resize to bytes)",
    };

    /// <summary>The modes' rounds interleaved (round r of every mode, each followed by a reference round, before round
    /// r + 1 of any), so that a load that changes during the run weighs on every mode alike.</summary>
    private static IEnumerable<AugmentBenchRow> TimeRounds(string[] modes, PairMaker[] makers, int workers, int rounds, int pairsPerWorker, int files, TorchvisionReference? reference)
    {
        int m = modes.Length;
        var times = new double[m, rounds];
        var cpuRates = new double[m, rounds];
        var refRates = new double[m, rounds];
        var refCpuRates = new double[m, rounds];
        int total = pairsPerWorker * workers;
        // Warm-up until the JIT has tiered up the hot loops (steady state, as in a long training run).
        foreach (var pair in makers)
        {
            int warmed = 0;
            for (var warm = Stopwatch.StartNew(); warm.Elapsed.TotalSeconds < WarmupSeconds || warmed < WarmupPairs * workers; warmed += 4 * workers)
                Pairs(pair, files, 4 * workers, workers);
        }
        for (int r = 0; r < rounds; r++)
            for (int i = 0; i < m; i++)
            {
                var cpu = ProcessTimes.Read();
                var c = Stopwatch.StartNew();
                Pairs(makers[i], files, total, workers);
                times[i, r] = total / c.Elapsed.TotalSeconds;
                cpuRates[i, r] = total / (ProcessTimes.Read().CpuSeconds - cpu.CpuSeconds);
                if (reference is not null) (refRates[i, r], refCpuRates[i, r]) = reference.Round(workers);
            }
        for (int i = 0; i < m; i++)
        {
            double[] Row(double[,] a) => Enumerable.Range(0, rounds).Select(r => a[i, r]).ToArray();
            yield return new AugmentBenchRow(modes[i], workers, Median(Row(times)), Row(times), Median(Row(cpuRates)),
                reference is null ? null : Median(Row(refRates)), reference is null ? null : Median(Row(refCpuRates)));
        }
    }

    private static double Median(double[] v) => v.Order().ElementAt(v.Length / 2);

    /// <summary>The acceptance ratios of docs/feeding-a-gpu.md, per worker count: device mode and fast against
    /// torchvision + PIL per core, fast against exact.</summary>
    private static void Ratios(List<AugmentBenchRow> rows, Action<string> print)
    {
        foreach (var group in rows.GroupBy(r => r.Workers))
        {
            var by = group.ToDictionary(r => r.Mode);
            var parts = new List<string>();
            foreach (var mode in Modes)
                if (by.TryGetValue(mode, out var r) && r.ReferencePairsPerCpuSecond is double refCpu)
                    parts.Add(string.Create(CultureInfo.InvariantCulture, $"{mode} {r.PairsPerCpuSecond / refCpu:F2}× torchvision + PIL"));
            if (by.TryGetValue("fast", out var f) && by.TryGetValue("exact", out var e))
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"fast {f.PairsPerCpuSecond / e.PairsPerCpuSecond:F2}× exact"));
            if (parts.Count > 0) print($"ratios per core (pairs per CPU-second), {group.Key} worker(s): {string.Join("; ", parts)}");
        }
    }

    /// <summary>One thread, CPU time, after the timed runs: exact decode, fast decode (for a 224-px crop of half the
    /// image), and the two exact views.</summary>
    private static (double DecodeMs, double ViewsMs) Profile(Sample[] samples, ViewAugmentation viewA, ViewAugmentation viewB, int reps, Action<string> print)
    {
        using var loader = new ImageLoader(samples, log: Console.Error);
        var decoded = new List<SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>>();
        for (int i = 0; i < samples.Length; i++)
            if (loader.TryLoad(i) is { } img) decoded.Add(img);
        if (decoded.Count == 0) throw new InvalidDataException("none of the benchmark images could be decoded");
        var buf = new float[3 * viewA.Size * viewA.Size];
        for (var warm = Stopwatch.StartNew(); warm.Elapsed.TotalSeconds < WarmupSeconds;)
            for (int i = 0; i < decoded.Count; i++)
            {
                using (loader.TryLoad(i)) { }
                ImageAugmenter.ApplyInto(decoded[i], viewA, new Random(i), buf);
            }
        static double CpuMs() => Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
        int decodeReps = Math.Max(reps, samples.Length);
        double start = CpuMs();
        for (int k = 0; k < decodeReps; k++)
            using (loader.TryLoad(k % samples.Length)) { }
        double decodeMs = (CpuMs() - start) / decodeReps;
        string fast = "";
        if (TurboJpeg.Available)
        {
            using var fastLoader = new ImageLoader(samples, log: Console.Error, options: new ImageDecodeOptions(Fast: true));
            ISampleReader reader = fastLoader;
            start = CpuMs();
            for (int k = 0; k < decodeReps; k++)
            {
                using var s = reader.TryDecode(k % samples.Length);
                if (s is DecodedJpeg j) j.PixelsFor(new CropBox(0, 0, j.Width / 2, j.Height / 2), viewA.Size);
            }
            fast = string.Create(CultureInfo.InvariantCulture, $", fast read+decode for a crop of half the image {(CpuMs() - start) / decodeReps:F2} ms/image");
        }
        int viewReps = Math.Max(reps, decoded.Count);
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
            $"profile (1 thread, CPU time): exact read+decode {decodeMs:F2} ms/image{fast}, two exact views {viewsMs:F2} ms/pair ({samples.Length} files)"));
        return (decodeMs, viewsMs);
    }

    /// <summary>The device stage on one batch of real host parts (both views): median wall time of a few runs on
    /// <paramref name="deviceName"/> (the CPU here, with libtorch's threads; a GPU where there is one).</summary>
    private static double DeviceStage(Sample[] samples, ViewAugmentation viewA, ViewAugmentation viewB, int batch, string deviceName, Action<string> print)
    {
        var device = Vicreg.Training.Runs.DeviceResolver.Resolve(deviceName);
        using var loader = new ImageLoader(samples, log: Console.Error, options: new ImageDecodeOptions(Fast: true));
        var pair = new PairMaker(loader, viewA, viewB, onDevice: true);
        int s = viewA.Size;
        var a = new byte[batch * s * s * 3];
        var b = new byte[batch * s * s * 3];
        var drawnA = new DrawnImageView[batch];
        var drawnB = new DrawnImageView[batch];
        for (int k = 0; k < batch; k++)
            (drawnA[k], drawnB[k]) = pair.HostPart(k % samples.Length, k, a.AsSpan(k * s * s * 3, s * s * 3), b.AsSpan(k * s * s * 3, s * s * 3));
        using var hostA = tensor(a, new long[] { batch, s, s, 3 }, ScalarType.Byte);
        using var hostB = tensor(b, new long[] { batch, s, s, 3 }, ScalarType.Byte);
        var times = new List<double>();
        for (int rep = 0; rep < 6; rep++)
        {
            var clock = Stopwatch.StartNew();
            using (NewDisposeScope())
            {
                var va = DeviceAugmenter.Finish(hostA.to(device), new DeviceViewStage(viewA, 3, drawnA));
                var vb = DeviceAugmenter.Finish(hostB.to(device), new DeviceViewStage(viewB, 3, drawnB));
                if (device.type == TorchSharp.DeviceType.CUDA) cuda.synchronize(device);
                else { va.data<float>(); vb.data<float>(); }
            }
            if (rep > 0) times.Add(clock.Elapsed.TotalMilliseconds); // the first builds the hue tables
        }
        double ms = Median(times.ToArray());
        print(string.Create(CultureInfo.InvariantCulture,
            $"device stage on {device} ({get_num_threads()} threads): {ms:F1} ms per batch of {batch} pairs (both views, copy included) = {batch / ms * 1000:F0} pairs/s"));
        return ms;
    }

    /// <summary>The loader (worker threads filling batch tensors through the bounded queue, a consumer taking and releasing
    /// each batch) against its workers alone: the same threads making the same pairs (read, decode, both views) into
    /// buffers of their own, with no batch, queue or consumer. Alternating rounds so both see the same load; the median
    /// ratio of pairs/s, and of pairs per CPU-second of the process (user + system, every thread: the consumer's and the
    /// kernel's page faults count against the loader), which a loaded machine disturbs far less.</summary>
    private static double LoaderEfficiency(Sample[] samples, ViewAugmentation viewA, ViewAugmentation viewB, int workers, int batch, int rounds, Action<string> print)
    {
        const int prefetch = 2, batches = 12;
        var many = Enumerable.Range(0, batch * batches).Select(i => samples[i % samples.Length]).ToArray();
        using var batchLoader = new ImageLoader(many, log: Console.Error);
        var loaderRun = new TwoViewBatches(many, new BranchInput(batchLoader, new ImageViewRecipe(viewA, viewA.Size)),
            new BranchInput(batchLoader, new ImageViewRecipe(viewB, viewB.Size)), batch, 1, workers, prefetch);
        var alone = new PairMaker(batchLoader, viewA, viewB, onDevice: false);
        foreach (var b in loaderRun.Epoch(0)) b.Dispose(); // warm-up
        Pairs(alone, many.Length, many.Length, workers);
        var wall = new double[rounds];
        var cpu = new double[rounds];
        var loaderRates = new double[rounds];
        var aloneRates = new double[rounds];
        double loaderFaults = 0, aloneFaults = 0;
        for (int r = 0; r < rounds; r++)
        {
            var s0 = ProcessTimes.Read();
            var c = Stopwatch.StartNew();
            int n = 0;
            foreach (var b in loaderRun.Epoch(r + 1))
                using (b) n += b.Count;
            loaderRates[r] = n / c.Elapsed.TotalSeconds;
            var s1 = ProcessTimes.Read();
            c.Restart();
            Pairs(alone, many.Length, n, workers);
            aloneRates[r] = n / c.Elapsed.TotalSeconds;
            var s2 = ProcessTimes.Read();
            wall[r] = loaderRates[r] / aloneRates[r];
            cpu[r] = (s2.CpuSeconds - s1.CpuSeconds) / (s1.CpuSeconds - s0.CpuSeconds);
            loaderFaults += (double)(s1.MinorFaults - s0.MinorFaults) / n / rounds;
            aloneFaults += (double)(s2.MinorFaults - s1.MinorFaults) / n / rounds;
        }
        static string Percent(double[] v) => string.Join(", ", v.Select(x => (100 * x).ToString("F0", CultureInfo.InvariantCulture)));
        print(string.Create(CultureInfo.InvariantCulture,
            $"loader ({workers} workers, batch {batch}, prefetch {prefetch}, exact): {Median(loaderRates):F1} pairs/s against {Median(aloneRates):F1} from its workers alone, " +
            $"{100 * Median(wall):F0}% (median of {rounds} alternating rounds: {Percent(wall)}%); per CPU-second {100 * Median(cpu):F0}% ({Percent(cpu)}%); " +
            $"page faults per pair {loaderFaults:F0} against {aloneFaults:F0}; peak {loaderRun.PeakBytesInFlight / (1024.0 * 1024):F1} MiB held"));
        return Median(wall);
    }

    /// <summary><paramref name="total"/> pairs over the files (round robin), shared by <paramref name="workers"/> threads.</summary>
    private static void Pairs(PairMaker pair, int files, int total, int workers)
    {
        int next = -1;
        var threads = Enumerable.Range(0, workers).Select(_ => new Thread(() =>
        {
            int k;
            while ((k = Interlocked.Increment(ref next)) < total) pair.Make(k % files, k);
        }) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
    }

    /// <summary>One pair as the loader makes it: read, decode (planned for both crops when decoding on demand), both views.</summary>
    private sealed class PairMaker(ImageLoader loader, ViewAugmentation a, ViewAugmentation b, bool onDevice)
    {
        private readonly ImageViewRecipe _a = new(a, a.Size) { OnDevice = onDevice }, _b = new(b, b.Size) { OnDevice = onDevice };
        [ThreadStatic] private static float[]? _floats;
        [ThreadStatic] private static byte[]? _bytes;

        public void Make(int file, int k)
        {
            int n = 3 * a.Size * a.Size;
            if (onDevice)
            {
                var buf = _bytes ??= new byte[2 * n];
                HostPart(file, k, buf.AsSpan(0, n), buf.AsSpan(n));
                return;
            }
            var f = _floats ??= new float[2 * n];
            using var sample = ((ISampleReader)loader).TryDecode(file);
            if (sample is null) return;
            if (sample is DecodedJpeg)
            {
                var plan = SeedMix.Rng(11, k);
                if (_a.Plan(sample, plan)) _b.Plan(sample, plan);
            }
            var rng = SeedMix.Rng(11, k);
            _a.Draw(sample, rng, f.AsSpan(0, n));
            _b.Draw(sample, rng, f.AsSpan(n));
        }

        public (DrawnImageView, DrawnImageView) HostPart(int file, int k, Span<byte> a, Span<byte> b)
        {
            using var sample = ((ISampleReader)loader).TryDecode(file) ?? throw new InvalidDataException("a benchmark image could not be decoded");
            if (sample is DecodedJpeg)
            {
                var plan = SeedMix.Rng(11, k);
                if (_a.Plan(sample, plan)) _b.Plan(sample, plan);
            }
            var rng = SeedMix.Rng(11, k);
            return (_a.DrawHostPart(sample, rng, a), _b.DrawHostPart(sample, rng, b));
        }
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
