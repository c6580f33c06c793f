using Vicreg.Training.Sources;
using Vicreg.Data.Views;
using Vicreg.Training.Config;
using Vicreg.Training.DataParallel;
using Vicreg.Training.Methods;
using Vicreg.Training.Model;
using Vicreg.Training.Precision;
using Vicreg.Training.Runs;
using static TorchSharp.torch;
using Vicreg.Training.Execution;

namespace Vicreg.Runs;

/// <summary>From a config to the devices and the step executor: one device, or data-parallel replicas; fp32 or bf16.</summary>
public static class ExecutionSetup
{
    /// <summary>The devices a run uses; the first holds the weights. parallel.devices, when given, replaces device.</summary>
    public static IReadOnlyList<Device> Devices(ExperimentConfig c) =>
        c.Parallel.Devices.Count > 0 ? c.Parallel.Devices.Select(DeviceResolver.Resolve).ToArray() : new[] { DeviceResolver.Resolve(c.Device) };

    /// <summary>Settings that run but are known to misbehave: bf16 with a 1×1 input to layer4's first convolution
    /// (ImageNet stem, crops under 32 px), where libtorch 2.10's bf16 weight gradient is sometimes NaN on CPU.</summary>
    public static IEnumerable<string> Warnings(ExperimentConfig c)
    {
        if (c.Precision != "bf16") yield break;
        foreach (var side in c.Model.BranchB is null ? new[] { BranchSide.A } : new[] { BranchSide.A, BranchSide.B })
        {
            var branch = ModalityCatalog.ContextFor(c, side);
            // What matters is a stem that downsamples by 4 in front of crops under 32 px, whatever the encoder is called.
            if (branch.Branch.Stem != Vicreg.Encoders.ResNetStem.ImageNet || !Vicreg.Encoders.EncoderCatalog.Get(branch.Branch.Encoder).ReadsStem) continue;
            if (ModalityCatalog.RecipeFor(c, side) is ImageViewRecipe { Train.Size: < 32 and var size })
                yield return $"warning: precision bf16 with {size}-px crops and {branch.Field}.stem imagenet gives layer4 a 1×1 input, where libtorch's bf16 gradient is sometimes NaN; use crops of at least 32 px or the small stem";
        }
    }

    /// <summary>The executor for <paramref name="model"/>, which must already be on <paramref name="devices"/>[0].</summary>
    public static IStepExecutor Create(ExperimentConfig c, JointEmbedding model, IMethod method, IReadOnlyList<Device> devices)
    {
        var precision = PrecisionPolicy.Parse(c.Precision);
        if (devices.Count == 1) return new SingleDeviceExecutor(model, method, devices[0], precision);
        // Building the replicas draws initial weights from torch's generator; they are overwritten by the main
        // model's, and the generator is put back so that the run matches a single-device one.
        using var rng = get_rng_state();
        try
        {
            return new DataParallelExecutor(model, () => ModelFactory.Build(c.Model), devices, method, precision, c.Parallel.SyncBatchNorm);
        }
        finally
        {
            set_rng_state(rng);
        }
    }
}
