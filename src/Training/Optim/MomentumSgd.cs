using TorchSharp;
using Vicreg.Core;
using static TorchSharp.torch;

namespace Vicreg.Training.Optim;

/// <summary>
/// SGD with momentum and L2 weight decay, as torch.optim.SGD (dampening 0, no Nesterov):
/// b ← m·b + (g + wd·p), p ← p − lr·b. Written here rather than taken from TorchSharp, whose
/// optimizers pass temporary scalars to libtorch (see <see cref="Scalars"/>).
/// </summary>
public sealed class MomentumSgd : IStepOptimizer
{
    private readonly IReadOnlyList<Tensor> parameters;
    private readonly Tensor[] buffers;
    private readonly double momentum, weightDecay;

    public MomentumSgd(IEnumerable<Tensor> parameters, double momentum = 0.9, double weightDecay = 0)
    {
        this.parameters = parameters.ToList();
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        buffers = this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
    }

    public IReadOnlyList<Tensor> Parameters => parameters;
    public IReadOnlyList<Tensor> State => buffers;

    public void ZeroGrad()
    {
        foreach (var p in parameters) p.grad?.zero_();
    }

    public void Step(double lr)
    {
        using var noGrad = no_grad();
        using var negativeLr = (-lr).ToScalar();
        for (int i = 0; i < parameters.Count; i++)
        {
            var g = parameters[i].grad;
            if (g is null) continue;
            using var scope = NewDisposeScope();
            var d = weightDecay == 0 ? g : g.add(parameters[i], Scalars.Float(weightDecay));
            buffers[i].mul_(Scalars.Float(momentum)).PlusInPlace(d);
            parameters[i].add_(buffers[i], negativeLr);
        }
    }

    public void Save(string path) => OptimizerState.Save(path, 0, buffers);

    public void Load(string path) => OptimizerState.Load(path, buffers, "SGD");

    public void Dispose()
    {
        foreach (var b in buffers) b.Dispose();
    }
}
