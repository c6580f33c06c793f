using Vicreg.Core;
using Vicreg.Encoders;
using Vicreg.Training.Config;
using Vicreg.Training.Execution;
using Vicreg.Runs;
using Vicreg.Training.Methods;
using Vicreg.Training.Model;
using Vicreg.Training.Optim;
using Vicreg.Training.Precision;
using Vicreg.Training.Runs;
using Vicreg.Training;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training.Precision;

/// <summary>The bf16 policy: autocast forward, channels-last images, loss in fp32; training still learns.</summary>
public class PrecisionTests
{
    private static readonly ModelConfig Tiny = new()
    {
        BranchA = new BranchConfig { Encoder = "resnet18", Expander = "32-32", Stem = ResNetStem.Small, BaseWidth = 8 },
    };

    [Fact]
    public void Bf16EmbeddingsAreBf16TheLossIsFp32AndConvolutionsSeeChannelsLast()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var model = ModelFactory.Build(Tiny);
        model.train();
        var policy = PrecisionPolicy.Bf16;
        var view = policy.Input(randn(6, 3, 16, 16));
        Assert.True(MemoryLayout.IsChannelsLast(view));
        Assert.False(MemoryLayout.IsChannelsLast(randn(6, 3, 16, 16)));
        Tensor za, zb, stem;
        using (policy.Forward(CPU))
        {
            (za, zb) = model.call(view, view);
            stem = nn.functional.conv2d(view, ones(4, 3, 3, 3));
        }
        Assert.Equal(ScalarType.BFloat16, za.dtype);
        Assert.Equal(ScalarType.BFloat16, stem.dtype);
        Assert.True(MemoryLayout.IsChannelsLast(stem), "a convolution of a channels-last batch stays channels-last");
        Assert.False(Autocast.IsEnabled(TorchSharp.DeviceType.CPU));

        using var loss = new VicRegMethod().Compute(PrecisionPolicy.ForLoss(za), PrecisionPolicy.ForLoss(zb));
        Assert.Equal(ScalarType.Float32, loss.Total.dtype);
        Assert.Equal(ScalarType.Float32, loss.Term("covariance")!.dtype);
        loss.Total.backward();
        // weights and their gradients stay fp32
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.grad!.dtype));
    }

    [Fact]
    public void ABf16RunLowersTheLoss()
    {
        manual_seed(2);
        using var model = ModelFactory.Build(Tiny);
        model.train();
        var executor = new SingleDeviceExecutor(model, new VicRegMethod(), CPU, PrecisionPolicy.Bf16);
        using var optimizer = new Lars(model.parameters(), eta: 0.02);
        using var a = randn(16, 3, 16, 16);
        using var b = a.Plus(randn(16, 3, 16, 16).Times(0.3));
        var losses = new List<double>();
        for (int step = 0; step < 20; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.ZeroGrad();
            using var loss = executor.LossAndGradients(a, b);
            Assert.Equal(ScalarType.Float32, loss.Total.dtype);
            losses.Add(loss.Values().Total);
            optimizer.Step(0.3);
        }
        Assert.All(losses, l => Assert.True(double.IsFinite(l)));
        Assert.True(losses.TakeLast(3).Average() < 0.9 * losses.Take(3).Average(),
            $"bf16 training did not lower the loss: {string.Join(", ", losses.Select(l => l.ToString("F3")))}");
    }

    [Fact]
    public void APretrainRunInBf16WritesFiniteDecreasingLosses()
    {
        using var tiny = new TinyExperiment();
        // The CIFAR-style stem keeps layer4's input at 2×2: with the ImageNet stem at 16 px it is 1×1, where
        // libtorch 2.10's bf16 weight gradient of that 3×3 stride-2 convolution is sometimes NaN (README "GPUs").
        var config = tiny.Config("bf16", "precision=bf16", "model.branch_a.stem=small", "model.branch_a.base_width=8");
        var lines = new List<string>();
        var outcome = PretrainJob.Run(config, new Lines(lines));
        Assert.Contains(lines, l => l.Contains("bf16"));
        var rows = StatsLog.Read(outcome.Run.StatsPath);
        Assert.Equal(12, rows.Count);
        Assert.All(rows, r => Assert.True(double.IsFinite(r.Loss)));
        Assert.True(rows.TakeLast(4).Average(r => r.Loss) < rows.Take(4).Average(r => r.Loss));
    }

    [Fact]
    public void ThePrecisionSettingIsValidated()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("{}", "p.json", new[] { "data.kind=synthetic-images", "precision=fp16" }));
        Assert.Contains("precision", e.Message);
        Assert.Equal("bf16", ConfigLoader.Parse("{}", "p.json", new[] { "data.kind=synthetic-images", "precision=bf16" }).Precision);
    }

    private sealed class Lines : ITrainingObserver
    {
        private readonly List<string> lines;
        public Lines(List<string> lines) => this.lines = lines;
        public void Started(TrainingPlan plan) { }
        public void Step(StepStats stats) { }
        public void EpochEnded(int epoch, double meanLoss, string checkpoint) { }
        public void Info(string line) => lines.Add(line);
    }
}

public class PrecisionWarningTests
{
    [Fact]
    public void Bf16OnTinyCropsWithTheImageNetStemIsWarnedAbout()
    {
        Vicreg.Training.Config.ExperimentConfig Parse(params string[] o) =>
            Vicreg.Training.Config.ConfigLoader.Parse("{}", "w.json", new[] { "data.kind=synthetic-images" }.Concat(o));
        Assert.Contains(Vicreg.Runs.ExecutionSetup.Warnings(Parse("precision=bf16", "data.image_size=16")), w => w.Contains("model.branch_a.stem"));
        Assert.Empty(Vicreg.Runs.ExecutionSetup.Warnings(Parse("precision=bf16", "data.image_size=32")));
        Assert.Empty(Vicreg.Runs.ExecutionSetup.Warnings(Parse("precision=bf16", "data.image_size=16", "model.branch_a.stem=small")));
        Assert.Empty(Vicreg.Runs.ExecutionSetup.Warnings(Parse("precision=fp32", "data.image_size=16")));
    }
}
