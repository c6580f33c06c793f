using static TorchSharp.torch;

namespace Vicreg.Training.Methods;

/// <summary>
/// How two embeddings become a loss. The trainer does not know which method it runs; it logs the
/// VICReg terms when a method has them (NaN otherwise), so ablations against other methods share stats.csv.
/// </summary>
public interface IMethod
{
    string Name { get; }
    MethodLoss Compute(Tensor embeddingA, Tensor embeddingB);

    /// <summary>One training step's loss from the two views. By default: both branches, then
    /// <see cref="Compute"/>. Methods with a predictor or a momentum target (BYOL, SimSiam) override it.</summary>
    MethodLoss Forward(Model.JointEmbedding model, Tensor viewA, Tensor viewB)
    {
        var (za, zb) = model.call(viewA, viewB);
        return Compute(za, zb);
    }
}

/// <summary>Marks a method whose <see cref="IMethod.Forward"/> runs the branches itself (a predictor, a momentum
/// target): executors call Forward instead of running the model and then <see cref="IMethod.Compute"/>.</summary>
public interface IRunsBranchesItself : IMethod
{
}

/// <summary>Optional: a method that changes state after each optimizer step (BYOL's momentum update).
/// <paramref name="step"/> is the step just taken (0-based), of <paramref name="totalSteps"/>.</summary>
public interface IAfterOptimizerStep
{
    void AfterOptimizerStep(Model.JointEmbedding model, long step, long totalSteps);
}

/// <summary>The total to minimise plus the terms worth logging. Disposing it frees all of them.</summary>
public sealed record MethodLoss(Tensor Total, Tensor? Invariance = null, Tensor? Variance = null, Tensor? Covariance = null) : IDisposable
{
    /// <summary>Host copies of the logged values (one synchronisation); NaN where a term is absent.</summary>
    public (double Total, double Invariance, double Variance, double Covariance) Values()
    {
        var list = new[] { Total, Invariance, Variance, Covariance };
        var present = list.Where(t => t is not null).Select(t => t!.detach().to_type(ScalarType.Float64).reshape(1)).ToArray();
        using var all = cat(present).cpu();
        var v = all.data<double>().ToArray();
        int k = 0;
        double Next(Tensor? t) => t is null ? double.NaN : v[k++];
        return (Next(Total), Next(Invariance), Next(Variance), Next(Covariance));
    }

    /// <summary>Moves every term to the enclosing dispose scope (for methods that compute inside their own).</summary>
    public MethodLoss MoveToOuterScope()
    {
        Total.MoveToOuterDisposeScope();
        Invariance?.MoveToOuterDisposeScope();
        Variance?.MoveToOuterDisposeScope();
        Covariance?.MoveToOuterDisposeScope();
        return this;
    }

    public void Dispose()
    {
        Total.Dispose();
        Invariance?.Dispose();
        Variance?.Dispose();
        Covariance?.Dispose();
    }
}
