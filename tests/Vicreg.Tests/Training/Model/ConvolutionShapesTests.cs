using Vicreg.Core;
using Vicreg.Encoders;
using Vicreg.Training.Config;
using Vicreg.Training.Model;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training.Model;

public class ConvolutionShapesTests
{
    /// <summary>An image branch and a waveform branch (unshared, different modalities): every convolution of each is
    /// found at the size it runs at, with the batch the check uses, and finding them changes nothing in the model.</summary>
    [Fact]
    public void AnImageAndAWaveformBranchGiveTheirOwnConvolutionsAtTheirSizes()
    {
        manual_seed(3);
        var image = new BranchConfig { Encoder = "resnet18", Expander = "16-16", Stem = ResNetStem.Small, BaseWidth = 8, InChannels = 1 };
        var sound = new BranchConfig { Encoder = "resnet1d18", Expander = "16-16", BaseWidth = 4 };
        using var model = ModelFactory.Build(new ModelConfig { Shared = false, BranchA = image, BranchB = sound });
        model.train();
        var before = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());

        var shapes = ConvolutionShapes.Of(model, new[] { (false, new long[] { 1, 16, 16 }), (true, new long[] { 1, 800 }) });

        var images = shapes.Where(s => s.SpatialDimensions == 2).ToArray();
        var waves = shapes.Where(s => s.SpatialDimensions == 1).ToArray();
        Assert.All(shapes, s => Assert.Equal(4, s.Input[0]));
        // The stem on the whole view; a stride-2 3×3 and its 1×1 shortcut (inside a Sequential) entering stage 2 at 16×16.
        Assert.Contains(images, s => s.Describe(true) == "1 → 8 channels, 3×3, on 16×16");
        Assert.Contains(images, s => s.Describe(true) == "8 → 16 channels, 3×3, stride 2, on 16×16");
        Assert.Contains(images, s => s.Describe(true) == "8 → 16 channels, 1×1, stride 2, on 16×16");
        Assert.Contains(images, s => s.Describe(true) == "64 → 64 channels, 3×3, on 2×2");
        Assert.Contains(waves, s => s.Describe(true) == "1 → 4 channels, 49 (1-D), stride 4, on 800");
        Assert.Equal(shapes.Count, shapes.Select(s => s.Key).Distinct().Count());
        Assert.True(model.training);
        Assert.All(model.modules(), m => Assert.True(m.training));
        model.eval(); // and a model in evaluation mode stays so
        ConvolutionShapes.Of(model, new[] { (false, new long[] { 1, 16, 16 }) });
        Assert.False(model.training);
        Assert.All(model.modules(), m => Assert.False(m.training));
        foreach (var (key, value) in model.state_dict()) // the batch norms' running statistics included
            Assert.True(value.allclose(before[key], rtol: 0, atol: 0), key);
    }

    /// <summary>A run's own shapes go through the same check as the general grid: a stand-in kernel that is wrong
    /// only for 1-D convolutions is named on them, with the size it runs at.</summary>
    [Fact]
    public void TheCheckNamesARunsOneDimensionalConvolutionThatAFaultyKernelGetsWrong()
    {
        static Tensor Faulty(Tensor x, Tensor w, ConvolutionShape s) =>
            s.SpatialDimensions == 1 ? ConvolutionCheck.Libtorch(x, w, s) * 1.01 : ConvolutionCheck.Libtorch(x, w, s);
        var wave = new ConvolutionShape(new long[] { 4, 1, 800 }, new long[] { 4, 1, 49 }, new long[] { 4 }, new long[] { 24 }, new long[] { 1 });
        var image = new ConvolutionShape(new long[] { 4, 8, 8, 8 }, new long[] { 16, 8, 3, 3 }, new long[] { 2, 2 }, new long[] { 1, 1 }, new long[] { 1, 1 });
        CpuConvolutions.Apply(); // the kernels that agree with float64 here
        var (mismatches, compared) = ConvolutionCheck.Run(Faulty, new[] { wave, image });
        Assert.Equal(2, compared);
        var only = Assert.Single(mismatches);
        Assert.Same(wave, only.Shape);
        // ×1.01 on the output: 1% on the forward, 2% on both gradients of the squared loss.
        Assert.Equal("1 → 4 channels, 49 (1-D), stride 4, on 800: input gradient off by 2% of its largest value", (only with { NameInput = true }).ToString());
    }
}
