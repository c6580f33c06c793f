using TorchSharp;
using Vicreg.Core;
using static TorchSharp.torch;

namespace Vicreg.Training.Optim;

/// <summary>
/// LARS as in the official VICReg code. For each parameter with ndim &gt; 1 (biases and norm weights are
/// excluded from both): dp = g + wd·p, then dp ← q·dp with q = η‖p‖/‖dp‖ (1 if either norm is 0).
/// For every parameter: mu ← m·mu + dp, p ← p − lr·mu.
/// </summary>
public sealed class Lars : IStepOptimizer
{
    private readonly IReadOnlyList<Tensor> parameters;
    private readonly Tensor[] momentum;

    public Lars(IEnumerable<Tensor> parameters, double weightDecay = 1e-6, double momentum = 0.9, double eta = 0.001)
    {
        this.parameters = parameters.ToList();
        if (this.parameters.Count == 0) throw new ArgumentException("LARS was given no parameters");
        if (weightDecay < 0) throw new ArgumentOutOfRangeException(nameof(weightDecay), "must be ≥ 0");
        if (momentum < 0 || momentum >= 1) throw new ArgumentOutOfRangeException(nameof(momentum), "must be in [0, 1)");
        WeightDecay = weightDecay;
        Momentum = momentum;
        Eta = eta;
        this.momentum = this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
    }

    public double WeightDecay { get; }
    public double Momentum { get; }
    public double Eta { get; }

    /// <summary>The official filter: 1-D tensors (biases, BN γ and β) get neither weight decay nor the trust ratio.</summary>
    public static bool IsExcluded(Tensor p) => p.dim() == 1;

    public IReadOnlyList<Tensor> Parameters => parameters;
    public IReadOnlyList<Tensor> State => momentum;

    public void ZeroGrad()
    {
        foreach (var p in parameters) p.grad?.zero_();
    }

    public void Step(double lr)
    {
        using var noGrad = no_grad();
        using var negativeLr = (-lr).ToScalar(); // changes every step, so a using scalar (see Vicreg.Core.Scalars)
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            var g = p.grad;
            if (g is null) continue;
            using var scope = NewDisposeScope();
            var dp = g;
            if (!IsExcluded(p))
            {
                dp = g.add(p, Scalars.Float(WeightDecay));
                var paramNorm = p.norm();
                var updateNorm = dp.norm();
                var one = ones_like(paramNorm);
                var q = where(paramNorm.GreaterThan(0), where(updateNorm.GreaterThan(0), paramNorm.Times(Eta).div(updateNorm), one), one);
                dp = dp.mul(q);
            }
            momentum[i].mul_(Scalars.Float(Momentum)).PlusInPlace(dp);
            p.add_(momentum[i], negativeLr);
        }
    }

    public void Save(string path) => OptimizerState.Save(path, 0, momentum);

    public void Load(string path) => OptimizerState.Load(path, momentum, "LARS");

    public void Dispose()
    {
        foreach (var m in momentum) m.Dispose();
    }
}
