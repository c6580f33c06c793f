using Vicreg.Core;
using static TorchSharp.torch;
using Convolution = TorchSharp.Modules.Convolution;

namespace Vicreg.Training.Model;

/// <summary>
/// The convolutions a joint embedding runs on given inputs, at their sizes, found by one forward of two samples in
/// evaluation mode without gradients (nothing learned, no batch statistics updated): what
/// <see cref="CpuConvolutions.ForRun"/> checks before a run trusts oneDNN's kernels with it.
/// </summary>
public static class ConvolutionShapes
{
    /// <summary>Each distinct convolution that <paramref name="model"/>'s branches run on views of
    /// <paramref name="inputs"/> (per view, without the batch dimension; B: branch B's), with the batch set to
    /// <paramref name="batch"/>. Convolution layers only: a convolution called as a function is not seen.</summary>
    public static IReadOnlyList<ConvolutionShape> Of(JointEmbedding model, IEnumerable<(bool BranchB, long[] View)> inputs, long batch = 4)
    {
        var found = new Dictionary<string, ConvolutionShape>(StringComparer.Ordinal);
        var layers = model.modules().OfType<Convolution>().Where(c => !c.transposed).ToArray();
        var hooks = layers.Select(c => c.register_forward_pre_hook((_, x) =>
        {
            var shape = ShapeOf(c, x.shape).WithBatch(batch);
            found.TryAdd(shape.Key, shape);
            return x;
        })).ToArray();
        // Each module's mode, parents before children (train() sets a module's children too).
        var modes = model.named_modules().Where(x => x.name.Length > 0).Select(x => (Depth: x.name.Count(ch => ch == '.') + 1, x.module))
            .Prepend((Depth: 0, module: (TorchSharp.torch.nn.Module)model)).OrderBy(x => x.Depth).Select(x => (x.module, x.module.training)).ToArray();
        try
        {
            model.eval();
            using var noGrad = no_grad();
            var device = model.parameters().FirstOrDefault()?.device ?? CPU;
            foreach (var (branchB, view) in inputs)
            {
                using var scope = NewDisposeScope();
                (branchB ? model.B : model.A).call(zeros(view.Prepend(2L).ToArray(), device: device));
            }
        }
        finally
        {
            foreach (var hook in hooks) hook.remove();
            foreach (var (m, training) in modes) m.train(training);
        }
        return found.Values.ToArray();
    }

    /// <summary>The convolution <paramref name="layer"/> runs on an input of <paramref name="input"/>: a padding done
    /// before the convolution itself ("same" padding, a padding mode other than zeros) widens the input.</summary>
    private static ConvolutionShape ShapeOf(Convolution layer, long[] input)
    {
        int dims = layer.kernel_size.Length;
        var weight = new[] { layer.out_channels, layer.in_channels / layer.groups }.Concat(layer.kernel_size).ToArray();
        var padding = layer.padding ?? layer.kernel_size.Select(_ => 0L).ToArray();
        var padded = (long[])input.Clone();
        if (layer.padding is null) // "same" (or "valid"): libtorch pads the input by dilation × (kernel − 1) in all
        {
            if (layer.padding_type == TorchSharp.Padding.Same)
                for (int d = 0; d < dims; d++) padded[2 + d] += layer.dilation[d] * (layer.kernel_size[d] - 1);
        }
        else if (layer.padding_mode != TorchSharp.PaddingModes.Zeros) // padded by F.pad first, then no zero padding
        {
            for (int d = 0; d < dims; d++) padded[2 + d] += 2 * padding[d];
            padding = padding.Select(_ => 0L).ToArray();
        }
        return new ConvolutionShape(padded, weight, layer.stride, padding, layer.dilation, layer.groups);
    }
}
