using System.Diagnostics;
using System.Globalization;
using Vicreg.Core;
using Vicreg.Data;
using Vicreg.Data.Views;
using Vicreg.Training.Config;
using Vicreg.Training.Execution;
using Vicreg.Training.Methods;
using Vicreg.Training.Model;
using Vicreg.Training.Optim;
using Vicreg.Training.Precision;
using TorchSharp;
using static TorchSharp.torch;

namespace Vicreg.Tooling.Bench;

/// <summary>How `vicreg bench train --with-loader` feeds its steps: the image folder, data.decode, data.augment_on
/// and the loader's worker threads.</summary>
public sealed record LoaderFeed(string Folder, string Decode = "exact", string AugmentOn = "host", int Workers = 2, int Prefetch = 2);

/// <summary>
/// Whole training steps fed by the real pipeline: the official views of the images of a folder, through the loader
/// (<see cref="TwoViewBatches"/>), finished on the device when data.augment_on is device, then the step of
/// <see cref="TrainBenchmark"/>. It times each step from asking for its batch to the optimizer's update, and how much
/// of that was spent waiting for the loader: "does the loader starve the step" as a measured answer.
/// </summary>
public static class LoaderFedTrainBenchmark
{
    public static (double MedianStepSeconds, double MedianWaitSeconds) Run(TrainBenchOptions o, LoaderFeed feed, Action<string> print)
    {
        var files = Directory.EnumerateFiles(feed.Folder, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal).Select(f => new Sample(f, 0)).ToArray();
        if (files.Length == 0) throw new ArgumentException($"--with-loader: no .jpg/.jpeg/.png files in '{feed.Folder}'");
        // Enough samples for every step: the folder's files repeated (the loader decodes each visit anew).
        int needed = (o.Warmup + o.Steps) * o.Batch;
        var samples = Enumerable.Range(0, Math.Max(needed, files.Length)).Select(i => files[i % files.Length]).ToArray();
        var device = Vicreg.Training.Runs.DeviceResolver.Resolve(o.Device);
        using var loader = new ImageLoader(samples, log: Console.Error, options: new ImageDecodeOptions(Fast: feed.Decode == "fast"));
        bool onDevice = feed.AugmentOn == "device";
        var a = ViewAugmentation.OfficialViewA(o.Size);
        var b = ViewAugmentation.OfficialViewB(o.Size);
        var pairs = new TwoViewBatches(samples, new BranchInput(loader, new ImageViewRecipe(a, o.Size) { OnDevice = onDevice }),
            new BranchInput(loader, new ImageViewRecipe(b, o.Size) { OnDevice = onDevice }), o.Batch, seed: 0, feed.Workers, feed.Prefetch);
        var source = PinnedBatches.For(pairs, device);

        manual_seed(0);
        using var model = ModelFactory.Build(new ModelConfig { BranchA = new BranchConfig { Encoder = o.Encoder, Expander = o.Expander } });
        model.to(device);
        model.train();
        using var optimizer = new Lars(model.parameters());
        var executor = new SingleDeviceExecutor(model, new VicRegMethod(), device, PrecisionPolicy.Parse(o.Precision));
        print($"VICReg training step fed by the loader: {files.Length} images in {feed.Folder}, data.decode {feed.Decode}, data.augment_on {feed.AugmentOn}, " +
              $"{feed.Workers} loader workers; {o.Encoder} + expander {o.Expander}, batch {o.Batch}, {o.Size} px, {o.Precision}, {device}, {get_num_threads()} threads; median of {o.Steps} after {o.Warmup} warm-up");
        var steps = new List<double>();
        var waits = new List<double>();
        int step = 0;
        using var batches = source.Epoch(0).GetEnumerator();
        while (step < o.Warmup + o.Steps)
        {
            var clock = Stopwatch.StartNew();
            if (!batches.MoveNext()) break;
            double wait = clock.Elapsed.TotalSeconds;
            using (var scope = NewDisposeScope())
            using (var pair = batches.Current)
            {
                optimizer.ZeroGrad();
                var (va, vb) = DeviceViews.Finish(pair, device);
                using var loss = executor.LossAndGradients(va, vb);
                double value = loss.Values().Total;
                if (!double.IsFinite(value)) throw new InvalidOperationException($"the benchmark's loss is {value} at step {step}");
                optimizer.Step(0.1);
                if (device.type == TorchSharp.DeviceType.CUDA) cuda.synchronize(device);
            }
            if (step >= o.Warmup)
            {
                steps.Add(clock.Elapsed.TotalSeconds);
                waits.Add(wait);
            }
            step++;
        }
        steps.Sort();
        waits.Sort();
        double median = steps[steps.Count / 2], medianWait = waits[waits.Count / 2];
        print(string.Create(CultureInfo.InvariantCulture,
            $"  fed by the loader: {median * 1000:F1} ms/step, {o.Batch / median:F1} samples/s; waiting for the loader {medianWait * 1000:F1} ms of it (median), {100 * waits.Sum() / steps.Sum():F0}% of all step time"));
        return (median, medianWait);
    }
}
