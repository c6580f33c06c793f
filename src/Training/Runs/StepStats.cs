using CsvHelper.Configuration.Attributes;

namespace Vicreg.Training.Runs;

/// <summary>One row of stats.csv: one optimisation step.</summary>
public sealed record StepStats(
    [property: Name("epoch")] int Epoch,
    [property: Name("step")] long Step,
    [property: Name("lr")] double Lr,
    [property: Name("loss")] double Loss,
    [property: Name("invariance")] double Invariance,
    [property: Name("variance")] double Variance,
    [property: Name("covariance")] double Covariance,
    [property: Name("samples_per_s")] double SamplesPerSecond,
    [property: Name("seconds")] double Seconds);
