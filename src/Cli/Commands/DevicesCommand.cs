using System.CommandLine;
using TorchSharp;
using Vicreg.Core;
using Vicreg.Training.Runs;
using static TorchSharp.torch;

namespace Vicreg.Cli.Commands;

/// <summary>vicreg devices: which libtorch is loaded, whether CUDA is usable, and a bf16 autocast check.</summary>
internal static class DevicesCommand
{
    public static Command Create()
    {
        var command = new Command("devices", "Show the loaded libtorch, the visible GPUs and whether bf16 autocast works.");
        command.SetAction(_ => Output.Guard(() =>
        {
            using var probe = ones(2, 2); // loads the native backend
            bool cudaAvailable = DeviceResolver.CudaAvailable();
            foreach (var lib in new[] { "libtorch_cpu.so", "libtorch_cuda.so", "libLibTorchSharp.so" })
                foreach (var path in LoadedLibraries.Mapped(lib))
                    Console.WriteLine($"loaded: {path}");
            Console.WriteLine($"preloaded from: {LibTorchPreload.Folder ?? $"(none; set {LibTorchPreload.EnvironmentVariable} to use an installed libtorch)"}");
            Console.WriteLine($"cuda: {(cudaAvailable ? $"available, {cuda.device_count()} device(s)" : DeviceResolver.CudaLibraryLoaded() ? "libtorch has CUDA but no GPU is visible" : "this libtorch has no CUDA")}");
            // What a run with the default config (data.workers = cores, torch_threads auto) would use.
            Console.WriteLine(TorchThreads.Apply(TorchThreads.Cores, 0));
            using (new AutocastScope(DeviceType.CPU))
            {
                using var m = probe.matmul(probe);
                Console.WriteLine($"autocast cpu bf16: matmul gives {m.dtype}");
            }
            return 0;
        }));
        return command;
    }
}
