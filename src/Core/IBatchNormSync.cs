using static TorchSharp.torch;

namespace Vicreg.Core;

/// <summary>Training-mode batch normalisation whose statistics span several replicas (see <see cref="StableBatchNorm.Sync"/>).</summary>
public interface IBatchNormSync
{
    /// <summary>Normalises this replica's <paramref name="input"/> with statistics over all replicas' inputs,
    /// updates <paramref name="norm"/>'s running statistics, and returns the output (differentiable).</summary>
    Tensor Normalize(StableBatchNorm norm, Tensor input);
}
