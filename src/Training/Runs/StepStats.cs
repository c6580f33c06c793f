using CsvHelper.Configuration.Attributes;

namespace Vicreg.Training.Runs;

/// <summary>One row of stats.csv: one optimisation step.</summary>
public sealed record StepStats(
    [property: Name("epoch")][param: Name("epoch")] int Epoch,
    [property: Name("step")][param: Name("step")] long Step,
    [property: Name("lr")][param: Name("lr")] double Lr,
    [property: Name("loss")][param: Name("loss")] double Loss,
    [property: Name("invariance")][param: Name("invariance")] double Invariance,
    [property: Name("variance")][param: Name("variance")] double Variance,
    [property: Name("covariance")][param: Name("covariance")] double Covariance,
    [property: Name("samples_per_s")][param: Name("samples_per_s")] double SamplesPerSecond,
    [property: Name("seconds")][param: Name("seconds")] double Seconds);
