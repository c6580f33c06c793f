using System.CommandLine;
using System.Globalization;
using Vicreg.Tooling.Bench;

namespace Vicreg.Cli.Commands;

/// <summary>vicreg bench loss | train: our medians next to the PyTorch reference's, measured in the same run.</summary>
internal static class BenchCommand
{
    public static Command Create() =>
        new("bench", "Benchmarks; each prints medians and ratios against PyTorch (/usr/bin/python3) measured in the same run.") { Loss(), Train(), BenchAugmentCommand.Create(), BenchLogMelCommand.Create(), BenchDecodeCommand.Create(), BenchContentionCommand.Create(), Comm() };

    private static Option<bool> NoReference() => new("--no-reference") { Description = "Skip the PyTorch reference run" };

    private static int[] List(string? s, int[] fallback) =>
        string.IsNullOrWhiteSpace(s) ? fallback : s.Split(',', StringSplitOptions.TrimEntries).Select(x =>
            int.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : throw new ArgumentException($"\"{x}\" is not a positive integer in \"{s}\"")).ToArray();

    private static Command Loss()
    {
        var n = new Option<int>("--n") { Description = "Batch rows", DefaultValueFactory = _ => 256 };
        var d = new Option<int>("--d") { Description = "Embedding width", DefaultValueFactory = _ => 8192 };
        var repeats = new Option<int>("--repeats") { Description = "Timed repetitions (median reported)", DefaultValueFactory = _ => 3 };
        var csv = new Option<FileInfo?>("--csv") { Description = "Single point: append the result to this CSV. Sweep: write the grid to it (default bench/results/loss-sweep.csv)" };
        var sweep = new Option<bool>("--sweep") { Description = "Sweep a grid of N and D (--ns, --ds) instead of one point" };
        var ns = new Option<string?>("--ns") { Description = $"Sweep batch sizes, comma-separated (default {string.Join(",", LossSweep.DefaultNs)})" };
        var ds = new Option<string?>("--ds") { Description = $"Sweep widths, comma-separated (default {string.Join(",", LossSweep.DefaultDs)})" };
        var noReference = NoReference();
        var device = DeviceOptions.Device();
        var loss = new Command("loss", "VICReg loss fwd+bwd: Gram (N×N) vs feature (D×D) covariance, against PyTorch's official loss.")
            { n, d, repeats, csv, sweep, ns, ds, noReference, device };
        loss.SetAction(parse => Output.Guard(() =>
        {
            int r = parse.GetValue(repeats);
            bool reference = !parse.GetValue(noReference);
            string deviceName = parse.GetValue(device) ?? "cpu";
            var on = Vicreg.Training.Runs.DeviceResolver.Resolve(deviceName);
            string pyDevice = on.type == TorchSharp.DeviceType.CUDA ? $"cuda:{Math.Max(0, on.index)}" : "cpu";
            if (!parse.GetValue(sweep))
            {
                var one = LossBenchmark.Run(parse.GetValue(n), parse.GetValue(d), r, Console.WriteLine, on);
                if (parse.GetValue(csv) is { } file) LossBenchmark.AppendCsv(file.FullName, one);
                if (reference) PrintLossRatios(new[] { one }, LossSweep.Reference(new[] { one.N }, new[] { one.D }, r, one.Threads, pyDevice));
                return 0;
            }
            var grid = (N: List(parse.GetValue(ns), LossSweep.DefaultNs), D: List(parse.GetValue(ds), LossSweep.DefaultDs));
            var ours = LossSweep.Run(grid.N, grid.D, r, Console.WriteLine, on);
            var py = reference ? LossSweep.Reference(grid.N, grid.D, r, ours[0].Threads, pyDevice) : (null, "skipped (--no-reference)");
            PrintLossRatios(ours, py);
            string path = parse.GetValue(csv)?.FullName ?? Path.Combine("bench", "results", "loss-sweep.csv");
            LossSweep.WriteCsv(path, ours, py.Results);
            Console.WriteLine($"wrote {path}");
            return 0;
        }));
        return loss;
    }

    private static void PrintLossRatios(IReadOnlyList<LossBenchResult> ours, (IReadOnlyList<LossReferenceResult>? Results, string? WhyNot) py)
    {
        Console.WriteLine();
        if (py.Results is null) Console.WriteLine($"PyTorch reference not run: {py.WhyNot}");
        Console.WriteLine("     N      D  auto    gram ms    D×D ms  gram/D×D" + (py.Results is null ? "" : "   PyTorch gram ms  PyTorch D×D ms  ours(auto) vs official PyTorch  like-for-like D×D"));
        foreach (var r in ours)
        {
            var p = py.Results?.FirstOrDefault(x => x.N == r.N && x.D == r.D);
            string auto = Vicreg.Losses.VicRegLoss.Resolve(Vicreg.Losses.CovarianceForm.Auto, r.N, r.D) == Vicreg.Losses.CovarianceForm.Gram ? "gram" : "D×D";
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{r.N,6} {r.D,6}  {auto,-4} {r.GramSeconds * 1000,9:F1} {r.FeatureSeconds * 1000,9:F1} {r.Speedup,8:F2}×");
            if (p is not null)
                line += string.Create(CultureInfo.InvariantCulture,
                    $"   {p.GramSeconds * 1000,15:F1} {p.FeatureSeconds * 1000,15:F1} {p.FeatureSeconds / LossSweep.AutoSeconds(r),29:F2}× {p.FeatureSeconds / r.FeatureSeconds,17:F2}×");
            Console.WriteLine(line);
        }
    }

    private static Command Train()
    {
        var defaults = new TrainBenchOptions();
        var encoder = new Option<string>("--encoder") { Description = "resnet18, resnet50, …", DefaultValueFactory = _ => defaults.Encoder };
        var batch = new Option<int>("--batch") { Description = "Images per view", DefaultValueFactory = _ => defaults.Batch };
        var size = new Option<int>("--size") { Description = "Crop side in pixels", DefaultValueFactory = _ => defaults.Size };
        var expander = new Option<string>("--expander") { Description = "Expander widths", DefaultValueFactory = _ => defaults.Expander };
        var steps = new Option<int>("--steps") { Description = "Timed steps (median reported)", DefaultValueFactory = _ => defaults.Steps };
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps first", DefaultValueFactory = _ => defaults.Warmup };
        var precision = DeviceOptions.Precision();
        var device = DeviceOptions.Device();
        var input = new Option<string>("--input")
        {
            Description = "Where the views come from, on both sides: device (made on the device once) or pinned (pinned host memory, copied without blocking every step, as in training)",
            DefaultValueFactory = _ => defaults.Input,
        };
        input.AcceptOnlyFromAmong(TrainBenchOptions.Inputs);
        var csv = new Option<FileInfo?>("--csv") { Description = "Append both rows to this CSV (default bench/results/train.csv)" };
        var noReference = NoReference();
        var withLoader = new Option<DirectoryInfo?>("--with-loader") { Description = "Also time whole steps fed by the real pipeline (official views, the loader) from the images of this folder" };
        var decode = new Option<string>("--decode") { Description = "With --with-loader: data.decode, exact or fast", DefaultValueFactory = _ => "exact" };
        var augmentOn = new Option<string>("--augment-on") { Description = "With --with-loader: data.augment_on, host or device", DefaultValueFactory = _ => "host" };
        var workers = new Option<int?>("--workers") { Description = "With --with-loader: the loader's worker threads (default: the number of cores)" };
        var train = new Command("train", "Steps/s and samples/s of a VICReg training step (ResNet + expander + loss + LARS), against the same step in PyTorch; with --with-loader, also fed by the real pipeline.")
            { encoder, batch, size, expander, steps, warmup, precision, device, input, csv, noReference, withLoader, decode, augmentOn, workers };
        train.SetAction(parse => Output.Guard(() =>
        {
            var o = new TrainBenchOptions(parse.GetValue(encoder)!, parse.GetValue(batch), parse.GetValue(size), parse.GetValue(expander)!,
                parse.GetValue(steps), parse.GetValue(warmup), parse.GetValue(precision) ?? "fp32", parse.GetValue(device) ?? "cpu", parse.GetValue(input) ?? "device");
            if (parse.GetValue(decode) is not ("exact" or "fast")) return Output.Fail($"--decode: must be exact or fast; got '{parse.GetValue(decode)}'");
            if (parse.GetValue(augmentOn) is not ("host" or "device")) return Output.Fail($"--augment-on: must be host or device; got '{parse.GetValue(augmentOn)}'");
            int workerCount = parse.GetValue(workers) ?? Environment.ProcessorCount;
            if (workerCount < 1) return Output.Fail("--workers: must be at least 1");
            if (parse.GetValue(withLoader) is { Exists: false } missing) return Output.Fail($"--with-loader: folder '{missing.FullName}' does not exist");
            var ours = TrainBenchmark.Run(o, Console.WriteLine);
            if (parse.GetValue(withLoader) is { } folder)
            {
                var (fed, _) = LoaderFedTrainBenchmark.Run(o, new LoaderFeed(folder.FullName, parse.GetValue(decode)!, parse.GetValue(augmentOn)!, workerCount), Console.WriteLine);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  the loader-fed step takes {fed / ours.MedianStepSeconds:F2}× the step on fixed views ({(fed <= ours.MedianStepSeconds * 1.05 ? "the loader keeps up" : "the loader or the device stage costs step time")})"));
            }
            var rows = new List<TrainBenchResult> { ours };
            if (!parse.GetValue(noReference))
            {
                var (py, why) = TrainBenchmark.RunReference(o, ours.Threads);
                if (py is null) Console.WriteLine($"  PyTorch reference not run: {why}");
                else
                {
                    rows.Add(py);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {py.Implementation}: {py.MedianStepSeconds * 1000:F1} ms/step, {py.StepsPerSecond:F2} steps/s, {py.SamplesPerSecond:F1} samples/s ({py.Threads} threads)"));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  ratio: this project runs at {py.MedianStepSeconds / ours.MedianStepSeconds:F2}× PyTorch's speed (samples/s ours / PyTorch)"));
                }
            }
            string path = parse.GetValue(csv)?.FullName ?? Path.Combine("bench", "results", "train.csv");
            TrainBenchmark.AppendCsv(path, rows.ToArray());
            Console.WriteLine($"  appended to {path}");
            return 0;
        }));
        return train;
    }

    private static Command Comm()
    {
        var defaults = new CommBenchOptions();
        var encoder = new Option<string>("--encoder") { Description = "resnet18, resnet50, …", DefaultValueFactory = _ => defaults.Encoder };
        var expander = new Option<string>("--expander") { Description = "Expander widths", DefaultValueFactory = _ => defaults.Expander };
        var batch = new Option<int>("--batch") { Description = "Global batch (all ranks)", DefaultValueFactory = _ => defaults.Batch };
        var size = new Option<int>("--size") { Description = "Crop side in pixels", DefaultValueFactory = _ => defaults.Size };
        var steps = new Option<int>("--steps") { Description = "Steps of each executor (the first is not in the medians)", DefaultValueFactory = _ => defaults.Steps };
        var device = new Option<string>("--device") { Description = "cpu (MPI, CPU replicas) or cuda (NCCL, cuda:0/cuda:1 replicas)", DefaultValueFactory = _ => "cpu" };
        var rows = new Option<int>("--gather-rows") { Description = "Rows per rank of the separately timed embedding gather", DefaultValueFactory = _ => defaults.GatherRows };
        var comm = new Command("comm", "Run under mpirun -np 2: per-step communication of multi-process training against the in-process executor's copies.")
            { encoder, expander, batch, size, steps, rows, device };
        comm.SetAction(parse => Output.Guard(() =>
        {
            var o = new CommBenchOptions(parse.GetValue(encoder)!, parse.GetValue(expander)!, parse.GetValue(batch), parse.GetValue(size),
                Math.Max(1, parse.GetValue(steps)), parse.GetValue(rows), parse.GetValue(device)!);
            CommBenchmark.Run(o, Console.WriteLine);
            return 0;
        }));
        return comm;
    }
}
