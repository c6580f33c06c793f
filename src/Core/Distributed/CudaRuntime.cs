namespace Vicreg.Core.Distributed;

/// <summary>
/// cudaSetDevice and cudaStreamSynchronize from the CUDA runtime that libtorch loaded. The runtime already mapped
/// into the process is preferred (the one libtorch_cuda uses, whatever its major version); otherwise the sonames of
/// CUDA 13, 12 and 11 are tried, then the unversioned name.
/// </summary>
public static unsafe class CudaRuntime
{
    /// <summary>The sonames tried, newest first, when no libcudart is mapped yet (PyTorch's CUDA 13 wheels ship
    /// libcudart.so.13, the CUDA 12 ones libcudart.so.12).</summary>
    public static readonly IReadOnlyList<string> Sonames = new[] { "libcudart.so.13", "libcudart.so.12", "libcudart.so.11.0", "libcudart.so" };

    private static (nint Handle, string Name)? library;
    private static nint setDevice, streamSynchronize;

    private static nint Symbol(string symbol)
    {
        library ??= NativeLoader.OpenGlobal("the CUDA runtime (libcudart)", "it comes with PyTorch's CUDA build (nvidia/cuda_runtime/lib) or the CUDA toolkit",
            MappedRuntimes().Concat(Sonames).ToArray());
        return NativeLoader.Symbol(library.Value.Handle, library.Value.Name, symbol);
    }

    /// <summary>Files named libcudart.so* already mapped into the process (by libtorch_cuda), full paths.</summary>
    private static IEnumerable<string> MappedRuntimes()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/self/maps")) return Array.Empty<string>();
        return File.ReadLines("/proc/self/maps")
            .Select(line => line.IndexOf('/') is int at and >= 0 ? line[at..] : "")
            .Where(path => Path.GetFileName(path).StartsWith("libcudart.so", StringComparison.Ordinal))
            .Distinct().ToArray();
    }

    /// <summary>The library in use (a path or a soname); loads it on first use.</summary>
    public static string LibraryName
    {
        get { Symbol("cudaSetDevice"); return library!.Value.Name; }
    }

    /// <summary>Makes <paramref name="device"/> this thread's current GPU. Call it before anything touches CUDA, or
    /// the first call creates a context on GPU 0 (memory on a GPU this rank does not use; an error in exclusive mode).</summary>
    public static void SetDevice(int device)
    {
        if (setDevice == 0) setDevice = Symbol("cudaSetDevice");
        int error = ((delegate* unmanaged<int, int>)setDevice)(device);
        if (error != 0) throw new InvalidOperationException($"cudaSetDevice({device}) failed with CUDA error {error}");
    }

    /// <summary>Waits until the work queued on the legacy default stream (stream 0) has finished.</summary>
    public static void SynchronizeDefaultStream()
    {
        if (streamSynchronize == 0) streamSynchronize = Symbol("cudaStreamSynchronize");
        int error = ((delegate* unmanaged<nint, int>)streamSynchronize)(0);
        if (error != 0) throw new InvalidOperationException($"cudaStreamSynchronize failed with CUDA error {error}");
    }
}
