using Vicreg.Core;
using static TorchSharp.torch;

namespace Vicreg.Training.Runs;

/// <summary>One random generator whose state a checkpoint carries: the file it is saved to in the checkpoint folder,
/// and how to read and restore the state.</summary>
public sealed record GeneratorState(string File, Func<Tensor> Get, Action<Tensor> Set);

/// <summary>
/// The generators a run draws from: torch's CPU generator and the default generator of each GPU in use (SpecAugment
/// and dropout draw on the device), so that resuming from a checkpoint continues every random stream exactly.
/// </summary>
public static class GeneratorStates
{
    /// <summary>The CPU generator's file (the name checkpoints have always used).</summary>
    public const string CpuFile = "rng.bin";

    public static GeneratorState Cpu { get; } = new(CpuFile, () => get_rng_state(), state => set_rng_state(state));

    /// <summary>The file of cuda:<paramref name="index"/>'s generator.</summary>
    public static string CudaFile(int index) => $"rng-cuda{index}.bin";

    /// <summary>The CPU generator, then each distinct CUDA device of <paramref name="devices"/> (cuda without an index is cuda:0).</summary>
    public static IReadOnlyList<GeneratorState> For(IEnumerable<Device> devices)
    {
        var cudaIndexes = devices.Where(d => d.type == TorchSharp.DeviceType.CUDA).Select(d => Math.Max(0, (int)d.index)).Distinct().Order();
        return cudaIndexes.Select(i => new GeneratorState(CudaFile(i), () => CudaGenerators.GetState(i), state => CudaGenerators.SetState(i, state)))
            .Prepend(Cpu).ToArray();
    }
}
