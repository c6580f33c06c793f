namespace Vicreg.Training.Config;

/// <summary>
/// Which self-supervised method turns the two embeddings into a loss (the `method` section). VICReg takes
/// its coefficients from `loss`; the others may add VICReg's variance and covariance terms with their own
/// μ (<see cref="VarCoeff"/>) and ν (<see cref="CovCoeff"/>); the paper's Table 4 uses μ = 1, ν = 0.01.
/// </summary>
public sealed record MethodConfig
{
    /// <summary>vicreg, barlow-twins, simclr, byol or simsiam.</summary>
    public string Name { get; init; } = "vicreg";
    /// <summary>SimCLR's softmax temperature.</summary>
    public double Temperature { get; init; } = 0.1;
    /// <summary>BYOL's base momentum τ₀; τ follows a cosine from τ₀ to 1 over training.</summary>
    public double Tau { get; init; } = 0.99;
    /// <summary>Barlow Twins' weight of the off-diagonal terms (λ in their paper).</summary>
    public double OffDiagonal { get; init; } = 0.0051;
    /// <summary>Weight μ of an added VICReg variance term (0: none). Ignored by vicreg, which uses loss.std.</summary>
    public double VarCoeff { get; init; }
    /// <summary>Weight ν of an added VICReg covariance term (0: none). Ignored by vicreg, which uses loss.cov.</summary>
    public double CovCoeff { get; init; }
}
