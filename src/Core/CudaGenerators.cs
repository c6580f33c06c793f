using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Vicreg.Core;

/// <summary>
/// The state of each GPU's default random generator (what PyTorch's torch.cuda.get_rng_state(i) returns), which
/// TorchSharp does not expose: libtorch_cuda's getDefaultCUDAGenerator(i) gives the generator, and TorchSharp's own
/// shim reads and writes its state as it does for the CPU generator. Only where a libtorch with CUDA is loaded.
/// </summary>
public static partial class CudaGenerators
{
    // const at::Generator& at::cuda::detail::getDefaultCUDAGenerator(c10::DeviceIndex), DeviceIndex being int8_t.
    private const string DefaultGeneratorSymbol = "_ZN2at4cuda6detail23getDefaultCUDAGeneratorEa";

    [LibraryImport("LibTorchSharp", EntryPoint = "THSGenerator_get_rng_state")]
    private static partial nint GetRngState(nint generator);

    [LibraryImport("LibTorchSharp", EntryPoint = "THSGenerator_set_rng_state")]
    private static partial void SetRngState(nint generator, nint tensor);

    private static unsafe nint Generator(int device)
    {
        nint library = LoadedLibraries.FindLoaded("libtorch_cuda.so");
        if (library == 0 || !NativeLibrary.TryGetExport(library, DefaultGeneratorSymbol, out var symbol))
            throw new InvalidOperationException($"the GPU random generator of cuda:{device} is out of reach: no libtorch_cuda.so with getDefaultCUDAGenerator is loaded");
        // The reference the function returns is the address of a generator that lives as long as the process.
        return ((delegate* unmanaged<sbyte, nint>)symbol)((sbyte)device);
    }

    /// <summary>A copy of cuda:<paramref name="device"/>'s generator state (a byte tensor on the host).</summary>
    public static Tensor GetState(int device)
    {
        nint handle = GetRngState(Generator(device));
        if (handle == 0) throw new InvalidOperationException($"libtorch could not read the random generator state of cuda:{device}");
        return Tensor.UnsafeCreateTensor(handle);
    }

    /// <summary>Puts back a state that <see cref="GetState"/> returned.</summary>
    public static void SetState(int device, Tensor state) => SetRngState(Generator(device), state.Handle);
}
