using static TorchSharp.torch;

namespace Vicreg.Training.Runs;

/// <summary>Turns "auto", "cpu", "cuda" or "cuda:N" into a device, or says how to get CUDA.</summary>
public static class DeviceResolver
{
    public static Device Resolve(string name)
    {
        if (name == "auto") return cuda.is_available() ? CUDA : CPU;
        if (name == "cpu") return CPU;
        if (!cuda.is_available())
            throw new InvalidOperationException(
                $"device \"{name}\" was asked for, but this build has no CUDA backend or no GPU is visible. " +
                "Build with -p:TorchBackend=cuda (TorchSharp-cuda-linux), or see README \"GPUs\"; use --set device=cpu to run on the CPU.");
        return name == "cuda" ? CUDA : new Device(name);
    }
}
