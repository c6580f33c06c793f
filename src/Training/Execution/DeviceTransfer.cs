using TorchSharp;
using static TorchSharp.torch;

namespace Vicreg.Training.Execution;

/// <summary>
/// Host → device copies of a batch. To a GPU the copy starts from page-locked memory and does not block the
/// host, so it overlaps with the work already queued; a batch that is not pinned yet (see
/// <see cref="PinnedBatches"/>, which pins the next batch while this step runs) is pinned here.
/// Disposing the pinned copy right after is safe: libtorch's pinned-memory allocator records the copy on the
/// stream and reuses the block only after it has finished.
/// </summary>
public static class DeviceTransfer
{
    public static Tensor ToDevice(Tensor batch, Device device)
    {
        if (device.type != DeviceType.CUDA || batch.device_type != DeviceType.CPU) return batch.to(device);
        if (batch.is_pinned()) return batch.to(device, non_blocking: true);
        using var pinned = batch.pin_memory();
        return pinned.to(device, non_blocking: true);
    }
}
