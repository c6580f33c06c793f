namespace Vicreg.Losses;

/// <summary>
/// Coefficients of the VICReg loss. Defaults are the paper's best setting (λ, μ, ν) = (25, 25, 1),
/// γ = 1, ε = 1e-4.
/// </summary>
/// <param name="Sim">λ, weight of the invariance term.</param>
/// <param name="Std">μ, weight of the variance term.</param>
/// <param name="Cov">ν, weight of the covariance term.</param>
/// <param name="Gamma">γ, target standard deviation of each embedding dimension.</param>
/// <param name="Eps">ε, added to the variance before the square root.</param>
/// <param name="Form">Which covariance algorithm to use.</param>
public sealed record VicRegOptions(
    double Sim = 25.0,
    double Std = 25.0,
    double Cov = 1.0,
    double Gamma = 1.0,
    double Eps = 1e-4,
    CovarianceForm Form = CovarianceForm.Auto);
