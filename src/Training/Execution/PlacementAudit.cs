using TorchSharp;
using Vicreg.Encoders.Audio;
using Vicreg.Training.DataParallel;
using Vicreg.Training.Model;
using Vicreg.Training.Optim;
using static TorchSharp.torch;

namespace Vicreg.Training.Execution;

/// <summary>
/// Finds tensors of a training setup that were left behind when the model moved: every floating parameter
/// and buffer of the model, the log-mel constants, BYOL's target pairs, the optimizer's parameters (they must
/// be the model's own objects) and state, and the data-parallel replicas (each on its own device). Used by
/// the moved-model test (a dtype move on the CPU) and by <c>vicreg selfcheck</c> on a GPU.
/// </summary>
public static class PlacementAudit
{
    /// <summary>One line per misplaced tensor; empty when everything is on <paramref name="device"/> in <paramref name="dtype"/>.</summary>
    public static IReadOnlyList<string> Problems(JointEmbedding model, IStepOptimizer optimizer, IStepExecutor? executor, Device device, ScalarType dtype)
    {
        var problems = new List<string>();
        Check(problems, "the model", model, device, dtype);
        var trainable = model.parameters().Where(p => p.requires_grad).Select(p => p.Handle).ToArray();
        if (!trainable.SequenceEqual(optimizer.Parameters.Select(p => p.IsInvalid ? IntPtr.Zero : p.Handle)))
            problems.Add("the optimizer updates tensors that are not the model's current trainable parameters");
        foreach (var (t, i) in optimizer.State.Select((t, i) => (t, i)))
            Where(problems, $"optimizer state {i}", t, device, dtype);
        foreach (var ((online, target), i) in model.TargetPairs.Select((x, i) => (x, i)))
        {
            Where(problems, $"momentum-target pair {i} (online)", online, device, dtype);
            Where(problems, $"momentum-target pair {i} (target)", target, device, dtype);
        }
        if (executor is DataParallelExecutor dp)
            for (int r = 1; r < dp.Replicas; r++)
                Check(problems, $"replica {r}", dp.Replica(r), dp.Devices[r], dtype);
        return problems;
    }

    private static void Check(List<string> problems, string owner, JointEmbedding m, Device device, ScalarType dtype)
    {
        foreach (var (name, p) in m.named_parameters()) Where(problems, $"{owner}: parameter {name}", p, device, dtype);
        foreach (var (name, b) in m.named_buffers()) Where(problems, $"{owner}: buffer {name}", b, device, b.is_floating_point() ? dtype : b.dtype);
        foreach (var (logMel, i) in m.modules().OfType<LogMel>().Select((x, i) => (x, i)))
        {
            Where(problems, $"{owner}: log-mel {i} window", logMel.Window, device, dtype);
            Where(problems, $"{owner}: log-mel {i} filterbank", logMel.Filterbank, device, dtype);
        }
    }

    private static void Where(List<string> problems, string what, Tensor t, Device device, ScalarType dtype)
    {
        if (t.IsInvalid) { problems.Add($"{what} is a disposed tensor (captured before the move)"); return; }
        bool sameDevice = t.device_type == device.type && (device.index < 0 || t.device_index == device.index);
        if (!sameDevice || t.dtype != dtype) problems.Add($"{what} is {t.dtype} on {t.device}, not {dtype} on {device}");
    }
}
