using Vicreg.Training.Config;

namespace Vicreg.Training.Methods;

/// <summary>
/// What a method entry is told about the run besides its own options: the global batch and the epochs of the
/// schedule (SwAV's queue and its epochs), and the experiment's `loss` section, where VICReg's coefficients stay so
/// that earlier configs keep their meaning and hash. Never the whole experiment.
/// </summary>
public sealed record MethodContext(int BatchSize, int Epochs, LossConfig Loss)
{
    /// <summary>The context of the experiment <paramref name="c"/>.</summary>
    public static MethodContext Of(ExperimentConfig c) => new(c.Optim.BatchSize, c.Optim.Epochs, c.Loss);
}
