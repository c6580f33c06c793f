using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Vicreg.Core;

/// <summary>
/// BatchNorm with TorchSharp's registration, names (weight, bias, running_mean, running_var,
/// num_batches_tracked) and device handling, whose forward creates no temporary scalar: TorchSharp's own
/// increments num_batches_tracked with a temporary that the GC can free mid-call (see <see cref="Scalars"/>).
/// Momentum 0.1 and ε 1e-5, as torchvision.
/// </summary>
public sealed class StableBatchNorm : TorchSharp.Modules.BatchNorm
{
    private readonly int spatialDims;
    private readonly double momentumValue;
    private readonly double epsValue;

    /// <param name="features">Channels (2-D) or features (1-D).</param>
    /// <param name="spatialDims">0 for BatchNorm1d on [N, C] (or [N, C, L] with 1), 2 for BatchNorm2d on [N, C, H, W].</param>
    public StableBatchNorm(long features, int spatialDims, double momentum = 0.1, double eps = 1e-5)
        : base(features, eps, momentum, affine: true, track_running_stats: true, device: null, dtype: null,
               name: spatialDims == 2 ? "BatchNorm2d" : "BatchNorm1d")
    {
        this.spatialDims = spatialDims;
        momentumValue = momentum;
        epsValue = eps;
    }

    /// <summary>Running-average momentum (0.1 as torchvision).</summary>
    public double Momentum => momentumValue;
    /// <summary>ε added to the variance.</summary>
    public double Eps => epsValue;

    /// <summary>
    /// When set (data-parallel training), training-mode statistics come from the batches of every replica
    /// (PyTorch's SyncBatchNorm) instead of this replica's rows only. Null: ordinary BatchNorm.
    /// </summary>
    public IBatchNormSync? Sync { get; set; }

    public static StableBatchNorm Norm1d(long features) => new(features, 0);
    public static StableBatchNorm Norm2d(long features) => new(features, 2);

    protected override void ValidateInputDimensions(Tensor input)
    {
        bool ok = spatialDims == 2 ? input.dim() == 4 : input.dim() is 2 or 3;
        if (!ok)
            throw new ArgumentException(spatialDims == 2
                ? $"BatchNorm2d expects [N, C, H, W]; got [{string.Join(", ", input.shape)}]"
                : $"BatchNorm1d expects [N, C] or [N, C, L]; got [{string.Join(", ", input.shape)}]");
    }

    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        if (training && num_batches_tracked is not null)
            num_batches_tracked.add_(Scalars.Int64(1), Scalars.Int64(1));
        if (training && Sync is not null) return Sync.Normalize(this, input);
        return F.batch_norm(input, running_mean, running_var, weight, bias, training, momentumValue, epsValue);
    }
}
