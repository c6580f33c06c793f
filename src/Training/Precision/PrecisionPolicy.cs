using TorchSharp;
using Vicreg.Core;
using static TorchSharp.torch;

namespace Vicreg.Training.Precision;

/// <summary>
/// How a step runs numerically. <c>fp32</c>: everything in float32. <c>bf16</c>: the forward pass runs under
/// libtorch's autocast in bfloat16 (convolutions and matrix products in bf16, reductions and norms as
/// autocast decides) with image batches in channels-last memory format, which convolution kernels on
/// GPUs and oneDNN prefer; the embeddings are cast to float32 and the loss is computed outside autocast,
/// in float32. Weights, gradients and optimizer state stay float32 (no loss scaling is needed for bf16).
/// </summary>
public sealed class PrecisionPolicy
{
    private PrecisionPolicy(string name, ScalarType? autocastDtype, bool channelsLast)
    {
        Name = name;
        AutocastDtype = autocastDtype;
        ChannelsLast = channelsLast;
    }

    public static PrecisionPolicy Fp32 { get; } = new("fp32", null, false);
    public static PrecisionPolicy Bf16 { get; } = new("bf16", ScalarType.BFloat16, true);

    /// <summary>The names a config accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "fp32", "bf16" };

    public static PrecisionPolicy Parse(string name) => name switch
    {
        "fp32" => Fp32,
        "bf16" => Bf16,
        _ => throw new ArgumentException($"precision must be fp32 or bf16; got \"{name}\""),
    };

    public string Name { get; }
    public ScalarType? AutocastDtype { get; }
    public bool ChannelsLast { get; }

    /// <summary>The region the forward pass runs in: autocast on <paramref name="device"/>'s type, or nothing.
    /// Enter and dispose it on the thread that runs the forward (autocast state is thread-local).</summary>
    public IDisposable Forward(Device device) =>
        AutocastDtype is { } dtype ? new AutocastScope(device.type, dtype) : NoScope.Instance;

    /// <summary>The batch as the network should see it (channels-last for 4-D image batches under bf16).</summary>
    public Tensor Input(Tensor batch) => ChannelsLast ? MemoryLayout.ToChannelsLast(batch) : batch;

    /// <summary>The embedding as the loss takes it: a reduced-precision one (bf16, fp16) in float32; float32 and float64
    /// as they are, so that a float64 model's method parts (a predictor) still get their own dtype.</summary>
    public static Tensor ForLoss(Tensor embedding) =>
        embedding.dtype is ScalarType.BFloat16 or ScalarType.Float16 ? embedding.to_type(ScalarType.Float32) : embedding;

    public override string ToString() => Name;

    private sealed class NoScope : IDisposable
    {
        public static readonly NoScope Instance = new();
        public void Dispose() { }
    }
}
