using Vicreg.Core;
using Vicreg.Encoders;
using Vicreg.Training;
using Vicreg.Training.Config;
using Vicreg.Training.DataParallel;
using Vicreg.Training.Execution;
using Vicreg.Runs;
using Vicreg.Training.Methods;
using Vicreg.Training.Model;
using Vicreg.Training.Optim;
using Vicreg.Training.Runs;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training.DataParallel;

/// <summary>
/// Two replicas (both on the CPU) against one device on the same global batch. With synchronised batch
/// norm a step is the same function, so the gradients and weights agree to float32 rounding; with
/// per-replica batch norm (plain DDP without SyncBatchNorm) they do not, which is why sync is the default.
/// </summary>
public class DataParallelTests
{
    private static readonly ModelConfig Tiny = new()
    {
        BranchA = new BranchConfig { Encoder = "resnet18", Expander = "32-32", Stem = ResNetStem.Small, BaseWidth = 8 },
    };

    private sealed record StepResult(double Loss, Tensor[] Grads, Tensor[] Weights, Tensor[] Buffers) : IDisposable
    {
        public void Dispose()
        {
            foreach (var t in Grads.Concat(Weights).Concat(Buffers)) t.Dispose();
        }
    }

    private static StepResult OneStep(Func<JointEmbedding, IStepExecutor> executorFor, Tensor a, Tensor b, ModelConfig? config = null)
    {
        manual_seed(11);
        using var model = ModelFactory.Build(config ?? Tiny);
        model.train();
        using var executor = executorFor(model);
        using var optimizer = new Lars(model.parameters(), eta: 0.02);
        using var scope = NewDisposeScope();
        optimizer.ZeroGrad();
        using var loss = executor.LossAndGradients(a, b);
        double value = loss.Values().Total;
        var grads = model.parameters().Select(p => p.grad!.detach().clone().DetachFromDisposeScope()).ToArray();
        optimizer.Step(0.5);
        var weights = model.parameters().Select(p => p.detach().clone().DetachFromDisposeScope()).ToArray();
        var buffers = model.buffers().Where(t => t.is_floating_point()).Select(t => t.detach().clone().DetachFromDisposeScope()).ToArray();
        return new StepResult(value, grads, weights, buffers);
    }

    private static double MaxAbsDiff(Tensor[] x, Tensor[] y)
    {
        Assert.Equal(x.Length, y.Length);
        return x.Zip(y).Max(p => p.First.Minus(p.Second).abs().max().item<float>());
    }

    private static (Tensor A, Tensor B) Batch()
    {
        manual_seed(5);
        var a = randn(8, 3, 16, 16);
        var b = a.Plus(randn(8, 3, 16, 16).Times(0.5));
        return (a, b);
    }

    private static StepResult Single(Tensor a, Tensor b, ModelConfig? model = null) =>
        OneStep(m => new SingleDeviceExecutor(m, new VicRegMethod(), CPU), a, b, model);

    [Fact]
    public void UnsharedBranchesOfDifferentArchitecturesAlsoTakeTheSameStep()
    {
        var unshared = Tiny with { Shared = false, BranchB = Tiny.BranchA with { Encoder = "resnet34", BaseWidth = 4 } };
        var (a, b) = Batch();
        using (a) using (b)
        using (var single = Single(a, b, unshared))
        using (var dp = Replicated(a, b, sync: true, unshared))
        {
            Assert.Equal(single.Loss, dp.Loss, 1e-5);
            double grads = MaxAbsDiff(single.Grads, dp.Grads), weights = MaxAbsDiff(single.Weights, dp.Weights);
            Assert.True(grads <= 1e-5 && weights <= 1e-5, $"unshared: gradients differ by {grads:E2}, weights by {weights:E2}");
        }
    }

    private static StepResult Replicated(Tensor a, Tensor b, bool sync, ModelConfig? model = null) =>
        OneStep(m => new DataParallelExecutor(m, () => ModelFactory.Build(model ?? Tiny), new[] { CPU, CPU }, new VicRegMethod(), syncBatchNorm: sync), a, b, model);

    [Fact]
    public void TwoReplicasWithSyncBatchNormTakeTheSameStepAsOneDevice()
    {
        var (a, b) = Batch();
        using (a) using (b)
        using (var single = Single(a, b))
        using (var dp = Replicated(a, b, sync: true))
        {
            Assert.Equal(single.Loss, dp.Loss, 1e-5);
            double gradScale = single.Grads.Max(g => g.abs().max().item<float>());
            Assert.True(gradScale > 1e-3, "the test batch should give non-trivial gradients");
            double grads = MaxAbsDiff(single.Grads, dp.Grads);
            double weights = MaxAbsDiff(single.Weights, dp.Weights);
            double buffers = MaxAbsDiff(single.Buffers, dp.Buffers);
            Console.WriteLine($"DP vs single: loss {single.Loss} vs {dp.Loss}, max abs diff grads {grads:E2} (largest {gradScale:E2}), weights {weights:E2}, buffers {buffers:E2}");
            Assert.True(grads <= 1e-5, $"gradients differ by {grads:E2} (largest gradient {gradScale:E2})");
            Assert.True(weights <= 1e-5, $"weights after the step differ by {weights:E2}");
            Assert.True(buffers <= 1e-5, $"batch-norm running statistics differ by {buffers:E2}");
        }
    }

    [Fact]
    public void PerReplicaBatchNormIsADifferentFunction()
    {
        var (a, b) = Batch();
        using (a) using (b)
        using (var single = Single(a, b))
        using (var dp = Replicated(a, b, sync: false))
        {
            double grads = MaxAbsDiff(single.Grads, dp.Grads);
            Console.WriteLine($"per-replica BN vs single: loss {single.Loss} vs {dp.Loss}, max abs diff grads {grads:E2}");
            Assert.True(grads > 1e-3, $"without synchronised batch norm the gradients should differ; max diff {grads:E2}");
            Assert.NotEqual(single.Loss, dp.Loss, 3);
        }
    }

    [Fact]
    public void ReplicasGetTheMainWeightsAndAFailureInOneReplicaIsReportedNotHung()
    {
        manual_seed(3);
        using var model = ModelFactory.Build(Tiny);
        model.train();
        using var dp = new DataParallelExecutor(model, () => ModelFactory.Build(Tiny), new[] { CPU, CPU }, new VicRegMethod());
        Assert.Equal(0.0, MaxAbsDiff(model.parameters().ToArray(), dp.Replica(1).parameters().ToArray()));
        // 5 rows split 3 + 2; a 1-channel batch fails in both replicas' first convolution
        using var bad = randn(5, 1, 16, 16);
        var e = Record.Exception(() => dp.LossAndGradients(bad, bad));
        Assert.NotNull(e);
        Assert.IsNotType<OperationCanceledException>(e);
        // after the failure, a good step still runs (no batch norm is left waiting for peers)
        using var scope = NewDisposeScope();
        using var ok = randn(4, 3, 16, 16);
        using var loss = dp.LossAndGradients(ok, ok.Plus(randn(4, 3, 16, 16).Times(0.1)));
        Assert.True(double.IsFinite(loss.Values().Total));
        model.eval();
        model.call(ok, ok); // an eval-mode forward of the main model outside a step does not wait on replicas
    }

    [Fact]
    public void APretrainRunOnTwoReplicasMatchesTheSingleDeviceRun()
    {
        using var tiny = new TinyExperiment();
        var single = StatsLog.Read(PretrainJob.Run(tiny.Config("one", "optim.epochs=1"), NullObserver.Instance).Run.StatsPath);
        var config = tiny.Config("two", "optim.epochs=1", "parallel.devices=[\"cpu\",\"cpu\"]");
        var two = StatsLog.Read(PretrainJob.Run(config, NullObserver.Instance).Run.StatsPath);
        Assert.Equal(single.Count, two.Count);
        for (int i = 0; i < single.Count; i++)
            Assert.True(Math.Abs(single[i].Loss - two[i].Loss) <= 1e-4 * Math.Max(1, Math.Abs(single[i].Loss)),
                $"step {i}: one device {single[i].Loss}, two replicas {two[i].Loss}");
    }

    [Fact]
    public void ParallelDevicesAreValidated()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("{}", "p.json", new[] { "parallel.devices=[\"cpu\",\"gpu\"]" }));
        Assert.Contains("parallel.devices[1]", e.Message);
        var small = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("{}", "p.json", new[] { "parallel.devices=[\"cpu\",\"cpu\"]", "optim.batch_size=3" }));
        Assert.Contains("parallel.devices", small.Message);
    }
}

public class MultiGpuPresetTests
{
    [Fact]
    public void TheEightGpuPresetParsesWithSyncBatchNormAndBf16()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Vicreg.Multimodal.sln"))) dir = dir.Parent;
        var c = ConfigLoader.LoadFile(Path.Combine(dir!.FullName, "experiments", "imagenet", "vicreg-resnet50-8gpu-bf16.json"));
        Assert.Equal("bf16", c.Precision);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"cuda:{i}"), c.Parallel.Devices);
        Assert.True(c.Parallel.SyncBatchNorm);
        Assert.Equal(2048, c.Optim.BatchSize);
    }
}
