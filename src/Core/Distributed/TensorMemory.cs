using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Vicreg.Core.Distributed;

/// <summary>The address of a tensor's first element (host or device memory), which TorchSharp does not expose:
/// libtorch's data_ptr through TorchSharp's own native shim.</summary>
internal static partial class TensorMemory
{
    [LibraryImport("LibTorchSharp", EntryPoint = "THSTensor_data")]
    private static partial nint THSTensor_data(nint tensor);

    public static nint Address(Tensor t)
    {
        nint p = THSTensor_data(t.Handle);
        if (p == 0 && t.numel() > 0) throw new InvalidOperationException("libtorch returned no data pointer for a tensor");
        return p;
    }
}
