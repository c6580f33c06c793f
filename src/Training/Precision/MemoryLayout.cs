using static TorchSharp.torch;

namespace Vicreg.Training.Precision;

/// <summary>
/// Channels-last (NHWC in memory, NCHW in shape) for image batches. TorchSharp 0.107 has no
/// <c>contiguous(memory_format)</c>; permuting to NHWC, making that contiguous and permuting back gives
/// exactly the strides PyTorch's channels_last has.
/// </summary>
public static class MemoryLayout
{
    /// <summary>A channels-last copy of a 4-D tensor; other ranks are returned as they are.</summary>
    public static Tensor ToChannelsLast(Tensor x) =>
        x.dim() != 4 || IsChannelsLast(x) ? x : x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    /// <summary>True when a 4-D tensor's strides are those of channels-last (sizes of 1 may have any stride).</summary>
    public static bool IsChannelsLast(Tensor x)
    {
        if (x.dim() != 4) return false;
        var size = x.shape;
        var stride = x.stride();
        long expected = 1;
        foreach (int d in new[] { 1, 3, 2, 0 })
        {
            if (size[d] != 1 && stride[d] != expected) return false;
            expected *= size[d];
        }
        return true;
    }
}
