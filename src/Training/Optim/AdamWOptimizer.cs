using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Vicreg.Training.Optim;

/// <summary>AdamW (the paper's audio experiment), driven by the same per-step lr as LARS.</summary>
public sealed class AdamWOptimizer : IStepOptimizer
{
    private readonly AdamW inner;

    public AdamWOptimizer(IEnumerable<Tensor> parameters, double weightDecay = 0.05)
    {
        inner = optim.AdamW(parameters.Select(p => (Parameter)p), lr: 1e-3, weight_decay: weightDecay);
    }

    public void ZeroGrad() => inner.zero_grad();

    public void Step(double lr)
    {
        foreach (var group in inner.ParamGroups) group.LearningRate = lr;
        inner.step();
    }

    public void Save(string path) => inner.save_state_dict(path);
    public void Load(string path) => inner.load_state_dict(path);
    public void Dispose() => inner.Dispose();
}
