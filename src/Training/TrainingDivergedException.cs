namespace Vicreg.Training;

/// <summary>The loss became NaN or Inf. Names the step and the term; the last checkpoint is untouched.</summary>
public sealed class TrainingDivergedException : Exception
{
    public TrainingDivergedException(long step, string term, double value)
        : base($"training diverged at step {step}: {term} = {value}. The last checkpoint was kept; lower optim.base_lr or check the inputs.")
    {
        Step = step;
        Term = term;
    }

    public long Step { get; }
    public string Term { get; }
}
