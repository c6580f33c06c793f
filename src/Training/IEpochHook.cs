using Vicreg.Training.Model;

namespace Vicreg.Training;

/// <summary>
/// Work the trainer runs at every epoch end, after the checkpoint is written: collapse diagnostics, online
/// kNN, … A hook may run the model in eval mode under no_grad, but must leave its weights, buffers and
/// torch's random generator as it found them, so that resumed runs stay bit-identical.
/// </summary>
public interface IEpochHook
{
    void EpochEnded(EpochContext context);
}

/// <summary>Where the run is: <paramref name="Epoch"/> (0-based) just ended at global step <paramref name="Step"/>.</summary>
public sealed record EpochContext(int Epoch, int Epochs, long Step, JointEmbedding Model, Action<string> Info);
