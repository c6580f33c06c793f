using Vicreg.Core.Distributed;
using Vicreg.Training.Config;
using Vicreg.Training.Methods;
using Vicreg.Training.Model;
using Vicreg.Training.Precision;
using Vicreg.Training.Runs;
using static TorchSharp.torch;
using Vicreg.Training.Distributed;
using Vicreg.Training.Execution;
using Vicreg.Training;

namespace Vicreg.Runs;

/// <summary>
/// From a config and the launcher's process group to this rank's device and executor. One process per device:
/// a CUDA run takes the GPU of its local rank and NCCL (bootstrapped over MPI); a CPU run uses MPI itself.
/// </summary>
public static class ProcessSetup
{
    /// <summary>Why a config cannot run as <paramref name="ranks"/> processes, or null.</summary>
    public static string? Refusal(ExperimentConfig c, int ranks)
    {
        if (c.Parallel.Devices.Count > 0)
            return $"parallel.devices: in-process replicas cannot be combined with {ranks} launched processes; launch one process per device instead (remove parallel.devices)";
        if (c.Optim.BatchSize % ranks != 0)
            return $"optim.batch_size: the global batch of {c.Optim.BatchSize} must be a multiple of the {ranks} ranks";
        if (MethodValidator.LocalCropsField(c) is { } locals)
            return $"{locals}: multi-crop runs in one process on one device (the ranks gather two views' embeddings); run it in one process";
        if (c.Method.Entry.Capabilities.OneProcessOnly is { } why)
            return $"method.name: method {c.Method.Entry.Name} {why}; run it in one process";
        // Every rank would open the same GPU, which NCCL refuses (and the others would sit idle).
        if (c.Device.StartsWith("cuda:", StringComparison.Ordinal))
            return $"device: \"{c.Device}\" puts all {ranks} ranks on one GPU; use \"cuda\" (each rank takes the GPU of its local rank)";
        return null;
    }

    /// <summary>Set to 1, a CPU run's tensors go through libnccl's API on host memory instead of MPI: only for a
    /// host-memory stand-in of libnccl and libcudart (the test of NCCL's call sequence on a machine without a GPU).</summary>
    public const string NcclOnHostVariable = "VICREG_NCCL_ON_HOST";

    /// <summary>This rank's device: the config's, with "cuda"/"auto" on a GPU machine meaning the local rank's GPU.</summary>
    public static Device DeviceFor(ExperimentConfig c)
    {
        var device = DeviceResolver.Resolve(c.Device);
        if (device.type != TorchSharp.DeviceType.CUDA) return device;
        return new Device(TorchSharp.DeviceType.CUDA, ProcessGroup.LocalRank() % cuda.device_count());
    }

    /// <summary>The executor of this rank; <paramref name="host"/> is the MPI group (NCCL is built on it for CUDA).</summary>
    public static DistributedExecutor Create(ExperimentConfig c, JointEmbedding model, IMethod method, Device device,
        ICollectives host, CancellationToken stop)
    {
        bool ncclOnHost = device.type == TorchSharp.DeviceType.CPU && Environment.GetEnvironmentVariable(NcclOnHostVariable) == "1";
        ICollectives tensors = device.type == TorchSharp.DeviceType.CUDA ? new NcclCollectives(host, device.index)
            : ncclOnHost ? new NcclCollectives(host, ProcessGroup.LocalRank(), hostBuffers: true) : host;
        return new DistributedExecutor(model, method, device, PrecisionPolicy.Parse(c.Precision), tensors, c.Parallel.SyncBatchNorm, stop);
    }
}
