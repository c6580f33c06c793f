using Vicreg.Core;
namespace Vicreg.Training.Methods;

/// <summary>
/// The settings of one method: the fields of the `method` section besides its name. Each catalog entry has
/// its own record, with the paper's defaults; a field that the named method does not have is refused.
/// </summary>
public abstract record MethodOptions;

/// <summary>Options of a method that may add VICReg's variance and covariance terms to its loss (Table 4: μ = 1, ν = 0.01).</summary>
public abstract record WithAddedTermsOptions : MethodOptions
{
    /// <summary>Weight μ of an added VICReg variance term (0: none).</summary>
    [Option("Weight μ of an added VICReg variance term (0: none).", Min = 0)]
    public double VarCoeff { get; init; }
    /// <summary>Weight ν of an added VICReg covariance term (0: none).</summary>
    [Option("Weight ν of an added VICReg covariance term (0: none).", Min = 0)]
    public double CovCoeff { get; init; }

    public AddedTerms ToAddedTerms() => new(VarCoeff, CovCoeff);

    public void ValidateAddedTerms(Action<bool, string, string> require)
    {
        require(VarCoeff >= 0, "method.var_coeff", $"must be ≥ 0; got {VarCoeff}");
        require(CovCoeff >= 0, "method.cov_coeff", $"must be ≥ 0; got {CovCoeff}");
    }
}
