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

/// <summary>How a method uses multi-crop local views (model.branch_*.view.local_crops).</summary>
public enum LocalViewUse
{
    /// <summary>It does not: local crops are refused (BYOL, SimSiam).</summary>
    None,
    /// <summary>Each global view against every other view, local ones included, through the method's two-embedding
    /// loss, averaged (<see cref="LocalViewPairs"/>; VICReg, Barlow Twins, SimCLR).</summary>
    Paired,
    /// <summary>The method's own use of the local embeddings (<see cref="IForwardPass.LocalEmbeddings"/>;
    /// SwAV: every local view predicts both global views' codes).</summary>
    Own,
}

/// <summary>What a method needs from the experiment. The validator, the model factory and the executors ask
/// these instead of matching method names.</summary>
/// <param name="Predictor">Whether branch predictors are refused, used, or required on branch A.</param>
/// <param name="MomentumTarget">Keeps a momentum copy of branch A (the model gets a `target.*` module).</param>
/// <param name="UnsharedBranches">Works with model.shared = false (two branches of their own).</param>
/// <param name="DataParallel">Works with parallel.devices (the loss from the gathered embeddings).</param>
/// <param name="LocalViews">Whether and how it takes multi-crop local views.</param>
/// <param name="OneProcessOnly">Why the method cannot be split over launched processes (mpirun, srun), as the
/// refusal says it after "method X"; null when every rank can compute its loss from the gathered embeddings.</param>
public sealed record MethodCapabilities(
    PredictorUse Predictor = PredictorUse.None,
    bool MomentumTarget = false,
    bool UnsharedBranches = true,
    bool DataParallel = true,
    LocalViewUse LocalViews = LocalViewUse.None,
    string? OneProcessOnly = null)
{
    /// <summary>Whether multi-process training (one rank per device) can run the method.</summary>
    public bool MultiProcess => OneProcessOnly is null;
}
