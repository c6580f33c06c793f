using TorchSharp;
using static TorchSharp.torch;

namespace Vicreg.Training.Evaluation;

/// <summary>Frozen features [N, D] (float32, CPU) with their int64 labels [N].</summary>
public sealed record FeatureSet(Tensor Features, Tensor Labels) : IDisposable
{
    public int Count => (int)Features.shape[0];
    public int Dim => (int)Features.shape[1];

    public void Save(string path)
    {
        string tmp = path + ".tmp";
        using (var w = new BinaryWriter(File.Create(tmp)))
        {
            Features.Save(w);
            Labels.Save(w);
        }
        File.Move(tmp, path, overwrite: true);
    }

    public static FeatureSet Load(string path)
    {
        using var r = new BinaryReader(File.OpenRead(path));
        return new FeatureSet(TorchSharp.TensorExtensionMethods.Load(r), TorchSharp.TensorExtensionMethods.Load(r));
    }

    public void Dispose()
    {
        Features.Dispose();
        Labels.Dispose();
    }
}
