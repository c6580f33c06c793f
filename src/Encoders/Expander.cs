using TorchSharp;
using TorchSharp.Modules;
using Vicreg.Core;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Vicreg.Encoders;

/// <summary>
/// The expander (projector) of the paper: for the spec "8192-8192-8192", Linear→BN→ReLU, Linear→BN→ReLU,
/// Linear without bias. Module names are the official nn.Sequential indices (0.weight, 1.running_mean, …).
/// </summary>
public sealed class Expander : nn.Module<Tensor, Tensor>
{
    private readonly Sequential layers;

    public Expander(int inputDim, string spec, bool hiddenBatchNorm = true) : base(nameof(Expander))
    {
        Dims = Parse(spec);
        if (inputDim < 1) throw new ArgumentOutOfRangeException(nameof(inputDim), $"input dimension must be ≥ 1; got {inputDim}");
        Spec = spec;
        var modules = new List<Module<Tensor, Tensor>>();
        long previous = inputDim;
        for (int i = 0; i < Dims.Count - 1; i++)
        {
            modules.Add(Linear(previous, Dims[i]));
            if (hiddenBatchNorm) modules.Add(StableBatchNorm.Norm1d(Dims[i]));
            modules.Add(ReLU(inplace: true));
            previous = Dims[i];
        }
        modules.Add(Linear(previous, Dims[^1], hasBias: false));
        layers = Sequential(modules);
        RegisterComponents();
    }

    public string Spec { get; }
    public IReadOnlyList<int> Dims { get; }
    public int OutputDim => Dims[^1];

    /// <summary>Parses "8192-8192-8192" into its widths; a clear error for anything else.</summary>
    public static IReadOnlyList<int> Parse(string spec)
    {
        if (string.IsNullOrWhiteSpace(spec))
            throw new ArgumentException("expander spec is empty; expected widths joined by '-', e.g. \"8192-8192-8192\"", nameof(spec));
        var parts = spec.Split('-', StringSplitOptions.TrimEntries);
        var dims = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], out dims[i]) || dims[i] < 1)
                throw new ArgumentException($"expander spec \"{spec}\": \"{parts[i]}\" is not a positive width; expected e.g. \"8192-8192-8192\"", nameof(spec));
        return dims;
    }

    public override Tensor forward(Tensor x) => layers.call(x);
}
