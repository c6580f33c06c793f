using System.CommandLine;
using System.Globalization;
using Vicreg.Tooling.Bench;

namespace Vicreg.Cli.Commands;

/// <summary>vicreg bench augment: two-view pairs/s (decode included) here and in torchvision + PIL, same files, same run.</summary>
internal static class BenchAugmentCommand
{
    public static Command Create()
    {
        var images = new Option<DirectoryInfo?>("--images") { Description = "Folder of JPEG/PNG files (searched recursively); default: 16 generated 500×375 photo-like JPEGs in bench/data/jpegs" };
        var files = new Option<int>("--files") { Description = "How many images to use (the first N, sorted)", DefaultValueFactory = _ => 16 };
        var pairs = new Option<int>("--pairs") { Description = "Pairs per worker per round", DefaultValueFactory = _ => 150 };
        var rounds = new Option<int>("--rounds") { Description = "Timed rounds (median reported)", DefaultValueFactory = _ => 7 };
        var workers = new Option<string>("--workers") { Description = "Worker counts to time, comma-separated", DefaultValueFactory = _ => "1,2" };
        var size = new Option<int>("--size") { Description = "View side in pixels", DefaultValueFactory = _ => 224 };
        var noRef = new Option<bool>("--no-reference") { Description = "Skip the torchvision + PIL reference (bench/reference/augment_bench.py)" };
        var modes = new Option<string>("--modes") { Description = "What to time, comma-separated: exact (data.decode exact), fast (data.decode fast), device (data.augment_on device with fast decode: host part only), loader (the loader against its workers alone)", DefaultValueFactory = _ => "exact,fast,device,loader" };
        var device = new Option<string>("--device") { Description = "Where the device stage of device mode is timed: cpu, cuda, cuda:N", DefaultValueFactory = _ => "cpu" };
        var batch = new Option<int>("--batch") { Description = "Batch size of the loader and of the device stage", DefaultValueFactory = _ => 32 };
        var cmd = new Command("augment", "Official two-view augmentation pairs/s per host-stage mode, 1 worker then more, beside torchvision + PIL in the same run; the device stage per batch; the loader's efficiency.")
            { images, files, pairs, rounds, workers, size, noRef, modes, device, batch };
        cmd.SetAction(parse => Output.Guard(() =>
        {
            int[] counts;
            try { counts = parse.GetValue(workers)!.Split(',').Select(w => int.Parse(w.Trim(), CultureInfo.InvariantCulture)).ToArray(); }
            catch (FormatException) { return Output.Fail($"--workers: '{parse.GetValue(workers)}' is not a comma-separated list of integers"); }
            if (counts.Length == 0 || counts.Any(c => c < 1)) return Output.Fail("--workers: every count must be at least 1");
            var modeList = parse.GetValue(modes)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (modeList.Length == 0 || modeList.Any(m => !AugmentBenchmark.Modes.Contains(m)))
                return Output.Fail($"--modes: must be a comma-separated list of {string.Join(", ", AugmentBenchmark.Modes)}; got '{parse.GetValue(modes)}'");
            if (parse.GetValue(batch) < 1) return Output.Fail("--batch: must be at least 1");
            int n = parse.GetValue(files);
            if (n < 1) return Output.Fail("--files: must be at least 1");
            string folder;
            IReadOnlyList<string> list;
            if (parse.GetValue(images) is { } dir)
            {
                if (!dir.Exists) return Output.Fail($"--images: folder '{dir.FullName}' does not exist");
                folder = dir.FullName;
                list = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                    .Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase)
                                || f.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal).Take(n).ToList();
                if (list.Count == 0) return Output.Fail($"--images: no .jpg/.jpeg/.png files in '{folder}'");
                if (list.Count < n) n = list.Count;
            }
            else
            {
                folder = Path.GetFullPath(Path.Combine("bench", "data", "jpegs"));
                list = BenchJpegs.Ensure(folder, n);
                // The reference reads the whole folder: keep it to exactly these files.
                foreach (var extra in Directory.EnumerateFiles(folder).Except(list)) File.Delete(extra);
            }
            long bytes = list.Sum(f => new FileInfo(f).Length);
            Console.WriteLine($"{list.Count} images in {folder} ({bytes / list.Count / 1024} KB on average), views {parse.GetValue(size)} px");
            TorchvisionReference? reference = null;
            if (!parse.GetValue(noRef))
            {
                if (parse.GetValue(images) is not null && list.Count < Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Count())
                    Console.WriteLine("note: the reference reads every image in the folder; pass a folder that holds only the benchmark files for a like-for-like run");
                Console.WriteLine("starting the torchvision + PIL reference (bench/reference/augment_bench.py); its rounds alternate with ours");
                (reference, string? why) = TorchvisionReference.Start(folder, parse.GetValue(pairs), counts, parse.GetValue(size));
                if (reference is null) Console.WriteLine($"torchvision + PIL reference not run: {why}; only this project's figures follow");
            }
            AugmentBenchResult ours;
            using (reference)
                ours = AugmentBenchmark.Run(list, parse.GetValue(pairs), parse.GetValue(rounds), counts, parse.GetValue(size), Console.WriteLine, reference,
                    modeList, parse.GetValue(batch), parse.GetValue(device)!);
            foreach (var row in ours.Rows)
                if (row.ReferencePairsPerSecond is double wall && row.ReferencePairsPerCpuSecond is double cpu)
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{row.Mode}, {row.Workers} worker(s): this project {row.PerWorker:F1} vs torchvision + PIL {wall / row.Workers:F1} pairs/s per worker: {row.PairsPerSecond / wall:F2}× " +
                        $"(per CPU-second: {row.PairsPerCpuSecond:F1} vs {cpu:F1}, {row.PairsPerCpuSecond / cpu:F2}×)"));
            return 0;
        }));
        return cmd;
    }
}
