namespace Vicreg.Losses;

/// <summary>How the covariance term is computed. Both forms give the same value and gradient.</summary>
public enum CovarianceForm
{
    /// <summary>Gram form when N &lt; D, feature (D×D) form otherwise.</summary>
    Auto,
    /// <summary>N×N Gram matrix, O(N²D): uses ‖XᵀX‖²_F = ‖XXᵀ‖²_F.</summary>
    Gram,
    /// <summary>D×D covariance matrix, O(ND²), as in the official code.</summary>
    Feature,
}
