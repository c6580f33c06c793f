namespace Vicreg.Training.Runs;

/// <summary>One row of stats.csv: one optimisation step. <see cref="Terms"/> are the method's own named loss
/// terms, in its order (VICReg: invariance, variance, covariance), between loss and samples_per_s.</summary>
public sealed record StepStats(
    int Epoch,
    long Step,
    double Lr,
    double Loss,
    IReadOnlyList<(string Name, double Value)> Terms,
    double SamplesPerSecond,
    double Seconds)
{
    /// <summary>The value of term <paramref name="name"/>; NaN when this row has no such term.</summary>
    public double Term(string name)
    {
        foreach (var (n, v) in Terms) if (n == name) return v;
        return double.NaN;
    }
}
