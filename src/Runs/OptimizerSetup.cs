using Vicreg.Training.Config;
using Vicreg.Training.Model;
using Vicreg.Training.Optim;

namespace Vicreg.Runs;

/// <summary>The optimizer a config names (optim.name), over the parameters a run trains.</summary>
public static class OptimizerSetup
{
    public static IStepOptimizer Create(OptimConfig o, JointEmbedding model) => o.Name switch
    {
        "lars" => new Lars(Trainable(model), o.WeightDecay, o.Momentum, o.Eta),
        "adamw" => new AdamWOptimizer(Trainable(model), o.WeightDecay),
        _ => throw new ArgumentException($"optim.name: unknown optimizer \"{o.Name}\""),
    };

    /// <summary>All parameters but frozen ones (BYOL's momentum target).</summary>
    private static IEnumerable<TorchSharp.Modules.Parameter> Trainable(JointEmbedding model) => model.parameters().Where(p => p.requires_grad);
}
