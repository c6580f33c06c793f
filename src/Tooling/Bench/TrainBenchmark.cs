using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using Vicreg.Core;
using Vicreg.Encoders;
using Vicreg.Training.Config;
using Vicreg.Training.Execution;
using Vicreg.Training.Methods;
using Vicreg.Training.Model;
using Vicreg.Training.Optim;
using Vicreg.Training.Precision;
using static TorchSharp.torch;

namespace Vicreg.Tooling.Bench;

/// <summary>What `vicreg bench train` measures: one VICReg step of a ResNet + expander on fixed random views.
/// <see cref="Input"/>: where the views come from, the same on both sides: "device", made on the device once
/// (no copy in the step); "pinned", on the host in page-locked memory, copied to the device without blocking at
/// every step, as training's batches arrive.</summary>
public sealed record TrainBenchOptions(
    string? Encoder = null, int Batch = 32, int Size = 64, string Expander = "512-512-512",
    int Steps = 10, int Warmup = 2, string Precision = "fp32", string Device = "cpu", string Input = "device")
{
    /// <summary>The backbone; by default the small image encoder of the CPU recipes.</summary>
    public string Encoder { get; init; } = Encoder ?? EncoderCatalog.Default(Modalities.Image, EncoderDefault.Small);

    public static readonly string[] Inputs = { "device", "pinned" };
}

/// <summary>One implementation's median step time.</summary>
public sealed record TrainBenchResult(string Implementation, TrainBenchOptions Options, int Threads, double MedianStepSeconds)
{
    public double StepsPerSecond => 1 / MedianStepSeconds;
    public double SamplesPerSecond => Options.Batch / MedianStepSeconds;

    public string CsvRow() => string.Create(CultureInfo.InvariantCulture,
        $"{Implementation},{Options.Encoder},{Options.Batch},{Options.Size},{Options.Expander},{Options.Precision},{Options.Device},{Options.Input},{Threads},{MedianStepSeconds:G6},{StepsPerSecond:G5},{SamplesPerSecond:G6}");

    public const string CsvHeader = "impl,encoder,batch,size,expander,precision,device,input,threads,median_step_s,steps_per_s,samples_per_s";

    /// <summary>Parses a row of the PyTorch reference script (same columns).</summary>
    public static TrainBenchResult ParseRow(string row, TrainBenchOptions options)
    {
        var f = row.Split(',');
        if (f.Length != 12) throw new FormatException($"unexpected reference output: {row}");
        return new TrainBenchResult(f[0], options, int.Parse(f[8], CultureInfo.InvariantCulture), double.Parse(f[9], CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// Times full training steps (zero grad, forward of both views, VICReg loss in fp32, backward, LARS) of
/// the model the options describe, on the configured device and precision; median over the timed steps,
/// after warm-up. The PyTorch peer (bench/reference/train_bench.py) does the same work, with the views in the same
/// place (<see cref="TrainBenchOptions.Input"/>).
/// </summary>
public static class TrainBenchmark
{
    public static TrainBenchResult Run(TrainBenchOptions o, Action<string> print)
    {
        if (o.Batch < 2 || o.Size < 8 || o.Steps < 1 || o.Warmup < 0) throw new ArgumentException("need --batch ≥ 2, --size ≥ 8, --steps ≥ 1, --warmup ≥ 0");
        if (!TrainBenchOptions.Inputs.Contains(o.Input)) throw new ArgumentException($"--input must be {string.Join(" or ", TrainBenchOptions.Inputs)}; got \"{o.Input}\"");
        var device = Vicreg.Training.Runs.DeviceResolver.Resolve(o.Device);
        var precision = PrecisionPolicy.Parse(o.Precision);
        manual_seed(0);
        using var model = ModelFactory.Build(new ModelConfig { BranchA = new BranchConfig { Encoder = o.Encoder, Expander = o.Expander } });
        model.to(device);
        model.train();
        using var optimizer = new Lars(model.parameters());
        var executor = new SingleDeviceExecutor(model, new VicRegMethod(), device, precision);
        using var hostA = randn(o.Batch, 3, o.Size, o.Size);
        using var noise = randn(o.Batch, 3, o.Size, o.Size);
        using var hostB = hostA.Plus(noise.Times(0.5));
        bool pinned = o.Input == "pinned";
        bool gpu = device.type == TorchSharp.DeviceType.CUDA;
        // The views where the step finds them: on the device (made once), or on the host, pinned for a GPU.
        using var a = pinned ? (gpu ? hostA.pin_memory() : hostA.clone()) : hostA.to(device);
        using var b = pinned ? (gpu ? hostB.pin_memory() : hostB.clone()) : hostB.to(device);
        string input = pinned ? (gpu ? "views copied from pinned host memory every step (non-blocking)" : "views on the host (the CPU device: no copy)") : "views on the device";
        print($"VICReg training step: {o.Encoder} + expander {o.Expander}, batch {o.Batch}, {o.Size} px, {o.Precision}, {device}, {input}, {get_num_threads()} threads; median of {o.Steps} after {o.Warmup} warm-up");
        var times = new List<double>();
        for (int step = 0; step < o.Warmup + o.Steps; step++)
        {
            var clock = Stopwatch.StartNew();
            using (var scope = NewDisposeScope())
            {
                optimizer.ZeroGrad();
                var viewA = pinned ? DeviceTransfer.ToDevice(a, device) : a;
                var viewB = pinned ? DeviceTransfer.ToDevice(b, device) : b;
                using var loss = executor.LossAndGradients(viewA, viewB);
                double value = loss.Values().Total;
                if (!double.IsFinite(value)) throw new InvalidOperationException($"the benchmark's loss is {value} at step {step}");
                optimizer.Step(0.1);
                if (device.type == TorchSharp.DeviceType.CUDA) cuda.synchronize(device);
            }
            if (step >= o.Warmup) times.Add(clock.Elapsed.TotalSeconds);
        }
        times.Sort();
        var result = new TrainBenchResult("vicreg-dotnet", o, get_num_threads(), times[times.Count / 2]);
        print(string.Create(CultureInfo.InvariantCulture,
            $"  this project: {result.MedianStepSeconds * 1000:F1} ms/step, {result.StepsPerSecond:F2} steps/s, {result.SamplesPerSecond:F1} samples/s"));
        return result;
    }

    /// <summary>The same measurement in PyTorch, or the reason it could not run.</summary>
    public static (TrainBenchResult? Result, string? WhyNot) RunReference(TrainBenchOptions o, int threads)
    {
        var (lines, why) = PyTorchReference.Run("train_bench.py", new[]
        {
            "--encoder", o.Encoder, "--batch", $"{o.Batch}", "--size", $"{o.Size}", "--expander", o.Expander,
            "--steps", $"{o.Steps}", "--warmup", $"{o.Warmup}", "--threads", $"{threads}", "--precision", o.Precision, "--device", o.Device,
            "--input", o.Input,
        }, TimeSpan.FromMinutes(20));
        if (lines is null) return (null, why);
        var row = lines.LastOrDefault(l => l.StartsWith("pytorch", StringComparison.Ordinal));
        return row is null ? (null, "the PyTorch reference printed no result") : (TrainBenchResult.ParseRow(row, o), null);
    }

    public static void AppendCsv(string path, params TrainBenchResult[] rows)
    {
        bool header = !File.Exists(path);
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } dir) Directory.CreateDirectory(dir);
        using var w = new StreamWriter(path, append: true);
        if (header) w.WriteLine(TrainBenchResult.CsvHeader);
        foreach (var r in rows) w.WriteLine(r.CsvRow());
    }
}
