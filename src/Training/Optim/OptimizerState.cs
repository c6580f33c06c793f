using TorchSharp;
using static TorchSharp.torch;

namespace Vicreg.Training.Optim;

/// <summary>The on-disk state of our optimizers: a step count, then their buffers in parameter order.</summary>
internal static class OptimizerState
{
    public static void Save(string path, long steps, IReadOnlyList<Tensor> buffers)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(steps);
        writer.Write(buffers.Count);
        foreach (var b in buffers) b.Save(writer);
    }

    /// <summary>Loads the buffers in place and returns the step count; a mismatch names the file.</summary>
    public static long Load(string path, IReadOnlyList<Tensor> buffers, string optimizer)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        long steps = reader.ReadInt64();
        int count = reader.ReadInt32();
        if (count != buffers.Count)
            throw new InvalidDataException($"{path}: the {optimizer} state holds {count} buffers, this model needs {buffers.Count}");
        foreach (var b in buffers) b.Load(reader);
        return steps;
    }
}
