using System.Globalization;
using Vicreg.Core;
using static TorchSharp.torch;

namespace Vicreg.Training.Runs;

/// <summary>Turns "auto", "cpu", "cuda" or "cuda:N" into a device, or says how to get CUDA.</summary>
public static class DeviceResolver
{
    /// <summary>True for "auto", "cpu", "cuda" and "cuda:N" (N a non-negative integer).</summary>
    public static bool IsValidName(string name) =>
        name is "auto" or "cpu" or "cuda" ||
        (name.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(name.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out _));

    public static Device Resolve(string name)
    {
        if (!IsValidName(name)) throw new ArgumentException($"device must be auto, cpu, cuda or cuda:N; got \"{name}\"");
        if (name == "cpu") return CPU;
        bool available = CudaAvailable();
        if (name == "auto") return available ? CUDA : CPU;
        if (!available) throw new InvalidOperationException(NoCudaMessage(name));
        if (name == "cuda") return CUDA;
        int index = int.Parse(name.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture);
        int count = cuda.device_count();
        if (index >= count)
            throw new InvalidOperationException($"device \"{name}\" was asked for, but {count} GPU{(count == 1 ? " is" : "s are")} visible (cuda:0 to cuda:{count - 1}); check CUDA_VISIBLE_DEVICES");
        return new Device(TorchSharp.DeviceType.CUDA, index);
    }

    /// <summary>Whether libtorch reports a usable GPU. A build without CUDA libraries answers false rather than throwing.</summary>
    public static bool CudaAvailable()
    {
        try { return cuda.is_available(); }
        catch (Exception e) when (e is NotSupportedException or DllNotFoundException or InvalidOperationException) { return false; }
    }

    /// <summary>True when a libtorch with CUDA kernels is loaded in this process.</summary>
    public static bool CudaLibraryLoaded() => LoadedLibraries.Mapped("libtorch_cuda.so").Count > 0;

    private static string NoCudaMessage(string name) => CudaLibraryLoaded()
        ? $"device \"{name}\" was asked for: this libtorch has CUDA, but no GPU is visible (check nvidia-smi, the driver and CUDA_VISIBLE_DEVICES); --device cpu runs on the CPU."
        : $"device \"{name}\" was asked for, but this build's libtorch has no CUDA. Build with -p:TorchBackend=cuda (TorchSharp-cuda-linux), " +
          $"or build with -p:TorchBackend=external and set {LibTorchPreload.EnvironmentVariable} to the lib folder of a PyTorch 2.10 install with CUDA (see README \"GPUs\"); --device cpu runs on the CPU.";
}
