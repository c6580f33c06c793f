namespace Vicreg.Training.Methods;

/// <summary>One named term of a method's loss (a column of stats.csv, loss/&lt;name&gt; in TensorBoard) and its weight
/// in the total, so that plots and summaries can show total = Σ weight·term (VICReg: 25·invariance + 25·variance
/// + 1·covariance). <paramref name="Short"/> labels it where space is tight (the progress bar).</summary>
public sealed record LossTerm(string Name, double Weight = 1.0, string? Short = null)
{
    public string Label => Short ?? Name;
}
