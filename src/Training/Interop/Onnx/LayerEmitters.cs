using TorchSharp;
using TorchSharp.Modules;
using Vicreg.Core;
using Vicreg.Encoders;
using static Vicreg.Training.Interop.Onnx.OnnxAttribute;

namespace Vicreg.Training.Interop.Onnx;

/// <summary>The ONNX form of the layers the encoders and the expander are made of (eval mode: BatchNorm uses its
/// running statistics, as ONNX's BatchNormalization does with training_mode = 0).</summary>
public static class LayerEmitters
{
    internal static void RegisterAll()
    {
        OnnxEmitters.Register<Conv1d>(Convolution);
        OnnxEmitters.Register<Conv2d>(Convolution);
        OnnxEmitters.Register<StableBatchNorm>((g, bn, x, path) => BatchNorm(g, bn, bn.Eps, x, path));
        OnnxEmitters.Register<BatchNorm1d>((g, bn, x, path) => BatchNorm(g, bn, bn.eps, x, path));
        OnnxEmitters.Register<BatchNorm2d>((g, bn, x, path) => BatchNorm(g, bn, bn.eps, x, path));
        OnnxEmitters.Register<Linear>(Linear);
        OnnxEmitters.Register<LayerNorm>(LayerNorm);
        OnnxEmitters.Register<ReLU>((g, _, x, path) => g.Op("Relu", path, new[] { x }));
        OnnxEmitters.Register<Identity>((_, _, x, _) => x);
        OnnxEmitters.Register<MaxPool1d>((g, p, x, path) =>
            MaxPool(g, x, path, new[] { p.kernel_size }, new[] { p.stride ?? p.kernel_size }, new[] { p.padding ?? 0 }, new[] { p.dilation ?? 1 }, p.ceil_mode));
        OnnxEmitters.Register<MaxPool2d>((g, p, x, path) => MaxPool(g, x, path, p.kernel_size, p.stride ?? p.kernel_size, p.padding ?? new long[] { 0, 0 }, p.dilation ?? new long[] { 1, 1 }, p.ceil_mode));
        OnnxEmitters.Register<Sequential>((g, seq, x, path) =>
        {
            foreach (var (name, child) in seq.named_children()) x = OnnxEmitters.Emit(g, child, x, OnnxEmitters.Join(path, name));
            return x;
        });
        OnnxEmitters.Register<Expander>((g, e, x, path) => OnnxEmitters.Emit(g, OnnxEmitters.Required(e, "layers", path), x, path));
    }

    private static string Convolution(OnnxGraph g, Convolution conv, string x, string path)
    {
        if (conv.transposed || conv.padding_type is not null || conv.padding_mode != PaddingModes.Zeros)
            throw new OnnxExportException($"module {OnnxEmitters.Describe(conv, path)} cannot be exported to ONNX: only zero-padded, explicitly padded, non-transposed convolutions are mapped");
        var inputs = new List<string> { x, g.Constant(OnnxEmitters.Join(path, "weight"), conv.weight) };
        if (conv.bias is not null) inputs.Add(g.Constant(OnnxEmitters.Join(path, "bias"), conv.bias));
        return g.Op("Conv", path, inputs,
            Ints("kernel_shape", conv.kernel_size), Ints("strides", conv.stride),
            Ints("pads", conv.padding.Concat(conv.padding).ToArray()), Ints("dilations", conv.dilation), Int("group", conv.groups));
    }

    private static string BatchNorm(OnnxGraph g, BatchNorm bn, double eps, string x, string path)
    {
        if (bn.running_mean is null || bn.running_var is null || bn.weight is null || bn.bias is null)
            throw new OnnxExportException($"module {OnnxEmitters.Describe(bn, path)} cannot be exported to ONNX: only BatchNorm with running statistics and an affine transform is mapped");
        return g.Op("BatchNormalization", path, new[]
        {
            x, g.Constant(OnnxEmitters.Join(path, "weight"), bn.weight), g.Constant(OnnxEmitters.Join(path, "bias"), bn.bias),
            g.Constant(OnnxEmitters.Join(path, "running_mean"), bn.running_mean), g.Constant(OnnxEmitters.Join(path, "running_var"), bn.running_var),
        }, Float("epsilon", (float)eps));
    }

    /// <summary>x·Wᵀ + b as MatMul and Add (Gemm takes 2-D inputs only; the ViT applies its layers to [N, T, D]).</summary>
    private static string Linear(OnnxGraph g, Linear linear, string x, string path)
    {
        using var weightT = linear.weight.t();
        var y = g.Op("MatMul", path, new[] { x, g.Constant(OnnxEmitters.Join(path, "weight_t"), weightT) });
        return linear.bias is null ? y : g.Op("Add", path, new[] { y, g.Constant(OnnxEmitters.Join(path, "bias"), linear.bias) });
    }

    private static string LayerNorm(OnnxGraph g, LayerNorm norm, string x, string path)
    {
        if (norm.normalized_shape.Length != 1 || norm.weight is null || norm.bias is null)
            throw new OnnxExportException($"module {OnnxEmitters.Describe(norm, path)} cannot be exported to ONNX: only LayerNorm over the last dimension with weight and bias is mapped");
        return g.Op("LayerNormalization", path, new[] { x, g.Constant(OnnxEmitters.Join(path, "weight"), norm.weight), g.Constant(OnnxEmitters.Join(path, "bias"), norm.bias) },
            Int("axis", -1), Float("epsilon", (float)norm.eps));
    }

    private static string MaxPool(OnnxGraph g, string x, string path, long[] kernel, long[] stride, long[] padding, long[] dilation, bool ceil) =>
        g.Op("MaxPool", path, new[] { x }, Ints("kernel_shape", kernel), Ints("strides", stride),
            Ints("pads", padding.Concat(padding).ToArray()), Ints("dilations", dilation), Int("ceil_mode", ceil ? 1 : 0));

    /// <summary>GELU as PyTorch's default (exact, with erf): 0.5·x·(1 + erf(x/√2)); ONNX has Gelu only from opset 20.</summary>
    public static string Gelu(OnnxGraph g, string x, string path)
    {
        var erf = g.Op("Erf", path, new[] { g.Op("Div", path, new[] { x, g.Scalar(path + ".sqrt2", MathF.Sqrt(2f)) }) });
        var onePlus = g.Op("Add", path, new[] { erf, g.Scalar(path + ".one", 1f) });
        return g.Op("Mul", path, new[] { g.Op("Mul", path, new[] { x, onePlus }), g.Scalar(path + ".half", 0.5f) });
    }
}
