namespace Vicreg.Training.Methods;

/// <summary>Whether a method trains a predictor MLP on the branches' embeddings (model.branch_*.predictor).</summary>
public enum PredictorUse
{
    /// <summary>A predictor would stay untrained: it is refused.</summary>
    None,
    /// <summary>Used when given (SimSiam: without it, the Table 4 row that collapses).</summary>
    Optional,
    /// <summary>Branch A must have one (BYOL).</summary>
    Required,
}

/// <summary>What a method needs from the experiment. The validator, the model factory and the executors ask
/// these instead of matching method names.</summary>
/// <param name="Predictor">Whether branch predictors are refused, used, or required on branch A.</param>
/// <param name="MomentumTarget">Keeps a momentum copy of branch A (the model gets a `target.*` module).</param>
/// <param name="UnsharedBranches">Works with model.shared = false (two branches of their own).</param>
/// <param name="DataParallel">Works with parallel.devices (the loss from the gathered embeddings).</param>
public sealed record MethodCapabilities(
    PredictorUse Predictor = PredictorUse.None,
    bool MomentumTarget = false,
    bool UnsharedBranches = true,
    bool DataParallel = true);
