namespace Vicreg.Training;

/// <summary>Training stopped on request (Ctrl+C, SIGTERM) after finishing a step and writing a checkpoint.</summary>
public sealed class TrainingStoppedException : OperationCanceledException
{
    public TrainingStoppedException(long step, string checkpoint)
        : base($"stopped after step {step}; checkpoint written to {checkpoint}. Run the same command again to resume from there.")
    {
        Step = step;
        Checkpoint = checkpoint;
    }

    public long Step { get; }
    public string Checkpoint { get; }
}
