using System.Diagnostics;
using TorchSharp;
using Vicreg.Training.Config;
using Vicreg.Training.Execution;
using Vicreg.Training.Methods;
using Vicreg.Training.Model;
using Vicreg.Training.Optim;
using Vicreg.Training.Sources;
using static TorchSharp.torch;

namespace Vicreg.Tooling.Init;

/// <summary>
/// Times a few training steps of a config's model on random views of its shapes, on this machine, so that the
/// epochs of a time budget come from a measurement and not from a guess about the machine. Decoding,
/// augmentation and the optimizer's update are not included; <see cref="StarterConfig"/> adds a margin for them.
/// </summary>
public static class StepTimer
{
    public static double SecondsPerStep(ExperimentConfig c, int steps = 2)
    {
        manual_seed(c.Seed);
        using var model = ModelFactory.Build(c.Model, c.Method);
        var device = Vicreg.Training.Runs.DeviceResolver.Resolve(c.Device);
        model.to(device);
        model.train();
        var executor = new SingleDeviceExecutor(model, MethodCatalog.Create(c), device);
        var shapeA = new long[] { c.Optim.BatchSize }.Concat(ModalityCatalog.RecipeFor(c, BranchSide.A).TrainShape).ToArray();
        var shapeB = new long[] { c.Optim.BatchSize }.Concat(ModalityCatalog.RecipeFor(c, BranchSide.B).TrainShape).ToArray();
        using var a = randn(shapeA).to(device);
        using var b = randn(shapeB).to(device);
        var times = new List<double>();
        for (int step = 0; step <= steps; step++) // the first step warms up
        {
            var clock = Stopwatch.StartNew();
            using (NewDisposeScope())
            {
                // Forward and backward only: the weights stay at their initialisation, so every step sees the
                // same well-conditioned network (the optimizer's update is a small share of a step).
                model.zero_grad();
                using var loss = executor.LossAndGradients(a, b);
            }
            if (step > 0) times.Add(clock.Elapsed.TotalSeconds);
        }
        return times.Min();
    }
}
