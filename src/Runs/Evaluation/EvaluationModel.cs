using TorchSharp;
using Vicreg.Core;
using Vicreg.Training.Config;
using Vicreg.Training.Sources;
using Vicreg.Training.Interop;
using Vicreg.Training.Model;
using Vicreg.Training.Runs;
using static TorchSharp.torch;

namespace Vicreg.Runs.Evaluation;

/// <summary>The model an evaluation command works on: the run's newest checkpoint, or, with a weights file,
/// the config's architecture with branch A's backbone loaded from a PyTorch file (an official VICReg
/// resnet50.pth or full checkpoint, a torchvision state dict, or a file from <c>vicreg export</c>).</summary>
public sealed record EvaluationModel(JointEmbedding Model, long Step, string Tag) : IDisposable
{
    private RunConvolutions? kernels;

    public static EvaluationModel Load(ExperimentConfig c, RunFolder run, Device device, string? weights, Action<string> info)
    {
        ThreadSetup.Apply(c, info);
        manual_seed(c.Seed);
        var model = ModelFactory.Build(c.Model, c.Method);
        // As a training run does: where oneDNN failed the general check, it may still serve this model's convolutions.
        var kernels = device.type == DeviceType.CPU ? CpuConvolutions.ForRun(() => ConvolutionShapes.Of(model, ModalityCatalog.ViewShapes(c))) : null;
        if (kernels?.Line is { } line) info(line);
        try
        {
            var loaded = Restore(c, run, device, weights, info, model);
            loaded.kernels = kernels;
            return loaded;
        }
        catch
        {
            kernels?.Dispose();
            throw;
        }
    }

    private static EvaluationModel Restore(ExperimentConfig c, RunFolder run, Device device, string? weights, Action<string> info, JointEmbedding model)
    {
        try
        {
            if (weights is not null)
            {
                var report = BackboneWeights.Load(model.A.Encoder, weights);
                info($"{weights}: {report.Layout}, {report.Loaded} tensors loaded into branch A's backbone" +
                     (report.Ignored.Count > 0 ? $", {report.Ignored.Count} left aside (e.g. {string.Join(", ", report.Ignored.Take(2))})" : ""));
                model.to(device);
                return new EvaluationModel(model, 0, "weights-" + Path.GetFileNameWithoutExtension(weights));
            }
            model.to(device);
            var state = Checkpoints.TryRestoreLatest(run, model)
                ?? throw new InvalidOperationException($"{run.CheckpointsDir}: no complete checkpoint to evaluate");
            return new EvaluationModel(model, state.GlobalStep, $"step{state.GlobalStep}");
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Model.Dispose();
        kernels?.Dispose();
        kernels = null;
    }
}
