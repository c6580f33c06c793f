using Vicreg.Data;
using static TorchSharp.torch;

namespace Vicreg.Training.Execution;

/// <summary>data.augment_on device: a batch's views arrive as their host part (cropped, resized bytes) with what each
/// row drew; they go to the training device (pinned, non-blocking on a GPU) and are finished there
/// (<see cref="DeviceAugmenter"/>). Views finished on the host pass through unchanged.</summary>
public static class DeviceViews
{
    /// <summary>Both views ready for the encoders; tensors made here belong to the caller's dispose scope.</summary>
    public static (Tensor A, Tensor B) Finish(TwoViewBatch pair, Device device) =>
        (Finish(pair.ViewA, pair.StageA, device), Finish(pair.ViewB, pair.StageB, device));

    private static Tensor Finish(Tensor view, DeviceViewStage? stage, Device device) =>
        stage is null ? view : DeviceAugmenter.Finish(DeviceTransfer.ToDevice(view, device), stage);
}
