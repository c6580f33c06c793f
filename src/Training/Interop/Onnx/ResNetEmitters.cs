using TorchSharp;
using static TorchSharp.torch;
using Vicreg.Encoders;
using Vicreg.Encoders.Audio;

namespace Vicreg.Training.Interop.Onnx;

/// <summary>The ONNX form of the 2-D ResNets (both stems, any depth and width) and of the 1-D waveform ResNet: the
/// same forward as <see cref="ResNet"/> and <see cref="ResNet1d"/>, layer by layer.</summary>
public static class ResNetEmitters
{
    internal static void RegisterAll()
    {
        OnnxEmitters.Register<ResNet>((g, net, x, path) =>
        {
            var y = Stem(g, net, x, path);
            y = g.Op("Flatten", path, new[] { g.Op("GlobalAveragePool", path, new[] { y }) }, OnnxAttribute.Int("axis", 1));
            return OnnxEmitters.Child(net, "fc") is { } fc ? OnnxEmitters.Emit(g, fc, y, OnnxEmitters.Join(path, "fc")) : y;
        });
        // [N, C, L] → mean over L, as ResNet1d's y.mean(2).
        OnnxEmitters.Register<ResNet1d>((g, net, x, path) =>
            g.Op("Flatten", path, new[] { g.Op("GlobalAveragePool", path, new[] { Stem(g, net, x, path) }) }, OnnxAttribute.Int("axis", 1)));
        OnnxEmitters.Register<BasicBlock>(Residual);
        OnnxEmitters.Register<Bottleneck>(Residual);
        OnnxEmitters.Register<BasicBlock1d>(Residual);
    }

    /// <summary>conv1 → bn1 → ReLU → maxpool → layer1…layer4.</summary>
    private static string Stem(OnnxGraph g, nn.Module net, string x, string path)
    {
        string Child(string name, string input) => OnnxEmitters.Emit(g, OnnxEmitters.Required(net, name, path), input, OnnxEmitters.Join(path, name));
        var y = g.Op("Relu", path, new[] { Child("bn1", Child("conv1", x)) });
        y = Child("maxpool", y);
        foreach (var layer in new[] { "layer1", "layer2", "layer3", "layer4" }) y = Child(layer, y);
        return y;
    }

    /// <summary>The residual blocks: (convK → bnK, with ReLU between) for K = 1, 2[, 3], plus the input or its
    /// downsample, then ReLU.</summary>
    private static string Residual(OnnxGraph g, nn.Module block, string x, string path)
    {
        var y = x;
        for (int k = 1; OnnxEmitters.Child(block, $"conv{k}") is { } conv; k++)
        {
            if (k > 1) y = g.Op("Relu", path, new[] { y });
            y = OnnxEmitters.Emit(g, conv, y, OnnxEmitters.Join(path, $"conv{k}"));
            y = OnnxEmitters.Emit(g, OnnxEmitters.Required(block, $"bn{k}", path), y, OnnxEmitters.Join(path, $"bn{k}"));
        }
        var identity = OnnxEmitters.Child(block, "downsample") is { } down ? OnnxEmitters.Emit(g, down, x, OnnxEmitters.Join(path, "downsample")) : x;
        return g.Op("Relu", path, new[] { g.Op("Add", path, new[] { y, identity }) });
    }
}
