using TorchSharp;
using Vicreg.Core;
using static TorchSharp.torch;

namespace Vicreg.Training.Optim;

/// <summary>
/// AdamW as torch.optim.AdamW (β = 0.9, 0.999, ε = 1e-8, decoupled weight decay), for the paper's audio
/// experiment. Written here because TorchSharp's optimizers pass temporary scalars (see <see cref="Scalars"/>).
/// </summary>
public sealed class AdamWOptimizer : IStepOptimizer
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
    private readonly IReadOnlyList<Tensor> parameters;
    private readonly Tensor[] first, second;
    private readonly double weightDecay;
    private long steps;

    public AdamWOptimizer(IEnumerable<Tensor> parameters, double weightDecay = 0.01)
    {
        this.parameters = parameters.ToList();
        this.weightDecay = weightDecay;
        first = this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        second = this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
    }

    public IReadOnlyList<Tensor> Parameters => parameters;
    public IReadOnlyList<Tensor> State => first.Concat(second).ToArray();

    public void ZeroGrad()
    {
        foreach (var p in parameters) p.grad?.zero_();
    }

    public void Step(double lr)
    {
        steps++;
        using var noGrad = no_grad();
        double correction1 = 1 - Math.Pow(Beta1, steps), correction2 = 1 - Math.Pow(Beta2, steps);
        using var decay = (1 - lr * weightDecay).ToScalar();
        using var stepSize = (-lr / correction1).ToScalar();
        using var sqrtCorrection2 = Math.Sqrt(correction2).ToScalar();
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            var g = p.grad;
            if (g is null) continue;
            using var scope = NewDisposeScope();
            p.mul_(decay);
            first[i].mul_(Scalars.Float(Beta1)).add_(g, Scalars.Float(1 - Beta1));
            second[i].mul_(Scalars.Float(Beta2)).addcmul_(g, g, Scalars.Float(1 - Beta2));
            var denominator = second[i].sqrt().div_(sqrtCorrection2).add_(Scalars.Float(Epsilon), Scalars.One);
            p.addcdiv_(first[i], denominator, stepSize);
        }
    }

    public void Save(string path) => OptimizerState.Save(path, steps, first.Concat(second).ToList());

    public void Load(string path) => steps = OptimizerState.Load(path, first.Concat(second).ToList(), "AdamW");

    public void Dispose()
    {
        foreach (var t in first.Concat(second)) t.Dispose();
    }
}
