using TorchSharp;
using System.Diagnostics;
using System.Globalization;
using Vicreg.Core;
using Vicreg.Encoders;
using Vicreg.Core.Distributed;
using Vicreg.Training.Config;
using Vicreg.Training.DataParallel;
using Vicreg.Training.Distributed;
using Vicreg.Training.Methods;
using Vicreg.Training.Model;
using Vicreg.Training.Optim;
using Vicreg.Training.Precision;
using static TorchSharp.torch;

namespace Vicreg.Tooling.Bench;

/// <summary>What the communication benchmark runs: the model, a global batch small enough for CPU steps, and the
/// rows per rank at which the embedding gather is measured on its own (the paper: 2048 over 32 GPUs = 64).</summary>
public sealed record CommBenchOptions(string? Encoder = null, string Expander = "8192-8192-8192", int Batch = 4, int Size = 32,
    int Steps = 3, int GatherRows = 64, string Device = "cpu")
{
    /// <summary>The backbone; by default the paper's image backbone, whose gradients are what the paper communicates.</summary>
    public string Encoder { get; init; } = Encoder ?? EncoderCatalog.Default(Modalities.Image, EncoderDefault.Paper);
}

/// <summary>
/// Per-step communication of multi-process training (MPI, 2 ranks or more, launched with mpirun) side by side with
/// the copies of the in-process executor (2 replicas on this rank's device), for the same model and global batch.
/// Both are measured inside real training steps (forward, loss on the global batch, backward): the collectives
/// count their own calls, bytes and time; the in-process executor times its weight copies and gradient sums.
/// </summary>
public static class CommBenchmark
{
    public static void Run(CommBenchOptions o, Action<string> print)
    {
        var group = ProcessGroup.JoinIfLaunched()
            ?? throw new ArgumentException("bench comm measures multi-process training: launch it with mpirun -np 2 vicreg bench comm");
        if (o.Batch % group.World != 0 || o.Batch < 2 * group.World) throw new ArgumentException($"--batch must be a multiple of the {group.World} ranks, at least {2 * group.World}");
        bool primary = group.Rank == 0;
        var config = new ModelConfig { BranchA = new BranchConfig { Encoder = o.Encoder, Expander = o.Expander } };
        var method = new VicRegMethod();
        // cpu: MPI for the tensors, 2 CPU replicas in process. cuda: each rank on its local GPU through NCCL, the
        // in-process replicas on cuda:0 and cuda:1 (NCCL path compile-checked only so far).
        bool gpu = o.Device.StartsWith("cuda", StringComparison.Ordinal);
        var device = gpu ? new Device(TorchSharp.DeviceType.CUDA, ProcessGroup.LocalRank()) : CPU;
        var replicaDevices = gpu ? new[] { new Device(TorchSharp.DeviceType.CUDA, 0), new Device(TorchSharp.DeviceType.CUDA, 1) } : new[] { CPU, CPU };
        using var nccl = gpu ? new NcclCollectives(group, device.index) : null;
        ICollectives tensors = (ICollectives?)nccl ?? group;

        // Multi-process: this rank's slice of the global batch.
        manual_seed(0);
        var multi = new List<(long Calls, long Bytes, double Comm, double Step)>();
        (long Calls, long Bytes, double Seconds) start, gradients, gather;
        long parameterBytes;
        int buckets;
        using (var model = ModelFactory.Build(config))
        {
            model.to(device);
            model.train();
            parameterBytes = model.parameters().Sum(p => p.numel() * 4);
            using var optimizer = new Lars(model.parameters());
            using var executor = new DistributedExecutor(model, method, device, PrecisionPolicy.Fp32, tensors);
            buckets = executor.Buckets;
            manual_seed(1 + group.Rank);
            using var a = randn(o.Batch / group.World, 3, o.Size, o.Size);
            using var b = randn(o.Batch / group.World, 3, o.Size, o.Size);
            start = Measure(tensors, executor.StartFromRankZero);
            for (int step = 0; step < o.Steps; step++)
            {
                using var scope = NewDisposeScope();
                optimizer.ZeroGrad();
                var before = tensors.Traffic.Snapshot();
                var clock = Stopwatch.StartNew();
                using (var loss = executor.LossAndGradients(a, b)) loss.Values();
                double stepSeconds = clock.Elapsed.TotalSeconds;
                var after = tensors.Traffic.Snapshot();
                multi.Add((after.Calls - before.Calls, after.Bytes - before.Bytes, after.Seconds - before.Seconds, stepSeconds));
                optimizer.Step(0.1);
            }
            gradients = Measure(tensors, executor.AverageGradients);
            long width = long.Parse(o.Expander.Split('-').Last(), CultureInfo.InvariantCulture);
            gather = Measure(tensors, () =>
            {
                using var scope = NewDisposeScope();
                for (int branch = 0; branch < 2; branch++)
                {
                    var z = randn(o.GatherRows, width, device: device).requires_grad_();
                    FullGather.Apply(z, tensors).sum().backward();
                }
            });
        }
        group.Barrier();
        if (!primary)
        {
            group.Barrier(); // rank 0 measures the in-process executor alone
            return;
        }

        // In-process: the same global batch over 2 replicas in this process.
        manual_seed(0);
        var inProcess = new List<(double Copy, long Bytes, double Step)>();
        using (var main = ModelFactory.Build(config))
        {
            main.train();
            using var optimizer = new Lars(main.parameters());
            main.to(replicaDevices[0]);
            using var executor = new DataParallelExecutor(main, () => ModelFactory.Build(config), replicaDevices, method);
            manual_seed(1);
            using var a = randn(o.Batch, 3, o.Size, o.Size);
            using var b = randn(o.Batch, 3, o.Size, o.Size);
            for (int step = 0; step < o.Steps; step++)
            {
                using var scope = NewDisposeScope();
                optimizer.ZeroGrad();
                var before = executor.CopyCost;
                var clock = Stopwatch.StartNew();
                using (var loss = executor.LossAndGradients(a, b)) loss.Values();
                double stepSeconds = clock.Elapsed.TotalSeconds;
                var after = executor.CopyCost;
                inProcess.Add((after.Seconds - before.Seconds, after.Bytes - before.Bytes, stepSeconds));
                optimizer.Step(0.1);
            }
        }
        group.Barrier();

        static double Median(IEnumerable<double> xs) { var s = xs.OrderBy(x => x).ToArray(); return s[s.Length / 2]; }
        static string MB(double bytes) => (bytes / 1e6).ToString("F1", CultureInfo.InvariantCulture) + " MB";
        static string Ms(double seconds) => (seconds * 1000).ToString("F1", CultureInfo.InvariantCulture) + " ms";
        var inv = CultureInfo.InvariantCulture;
        print($"{o.Encoder} + expander {o.Expander}: {MB(parameterBytes)} of fp32 parameters; global batch {o.Batch} at {o.Size} px on {o.Device}; {get_num_threads()} libtorch threads per process; medians of {o.Steps} steps");
        print($"{"",-38}{$"multi-process ({group.World} ranks, {tensors.Description.Split(',')[0]})",-46}in-process ({2} replicas, DataParallelExecutor)");
        var m = multi.Skip(multi.Count > 1 ? 1 : 0).ToArray();
        var ip = inProcess.Skip(inProcess.Count > 1 ? 1 : 0).ToArray();
        print($"{"per-step communication / copies",-38}{$"{Median(m.Select(x => (double)x.Calls)):F0} calls, {MB(Median(m.Select(x => (double)x.Bytes)))}, {Ms(Median(m.Select(x => x.Comm)))}",-46}{MB(Median(ip.Select(x => (double)x.Bytes)))} copied, {Ms(Median(ip.Select(x => x.Copy)))}");
        print($"{"  of which gradients",-38}{$"{buckets} bucket all-reduces, {MB(gradients.Bytes)}, {Ms(gradients.Seconds)}",-46}weights to the replica + gradients summed back");
        print($"{"step (forward, loss, backward)",-38}{Ms(Median(m.Select(x => x.Step))),-46}{Ms(Median(ip.Select(x => x.Step)))}");
        print($"{"weights at start (once)",-38}{$"broadcast {MB(start.Bytes)}, {Ms(start.Seconds)}",-46}every step (above)");
        print($"{$"embedding gather, {o.GatherRows} rows/rank, fwd+bwd",-42}{$"{gather.Calls} calls, {MB(gather.Bytes)}, {Ms(gather.Seconds)}",-46}(a device-to-device copy inside the step)");
        print(string.Create(inv, $"per-step bytes per rank: multi-process {Median(m.Select(x => (double)x.Bytes)) / parameterBytes:F2}× the parameters; in-process {Median(ip.Select(x => (double)x.Bytes)) / parameterBytes:F2}× per extra replica, all through the main device"));
    }

    private static (long Calls, long Bytes, double Seconds) Measure(ICollectives group, Action action)
    {
        group.Barrier();
        bool gpu = group is NcclCollectives;
        if (gpu) cuda.synchronize();
        var before = group.Traffic.Snapshot();
        var clock = Stopwatch.StartNew();
        action();
        if (gpu) cuda.synchronize(); // the time includes the device work the action queued, not just its enqueueing
        var after = group.Traffic.Snapshot();
        return (after.Calls - before.Calls, after.Bytes - before.Bytes, clock.Elapsed.TotalSeconds);
    }
}
