using Vicreg.Data;
using Vicreg.Training.Model;
using Vicreg.Training.Precision;
using static TorchSharp.torch;

namespace Vicreg.Training.Methods;

/// <summary>One model on one device: the branches, and any network part a method asks for, run under
/// <paramref name="precision"/>'s forward region; results come back in float32.</summary>
public sealed class ModelForwardPass(JointEmbedding model, Device device, PrecisionPolicy precision,
    Tensor viewA, Tensor viewB, IReadOnlyList<LocalViews>? locals = null) : IForwardPass
{
    private (Tensor A, Tensor B)? embeddings;
    private IReadOnlyList<Tensor>? localEmbeddings;

    public JointEmbedding Model => model;
    public (Tensor A, Tensor B) Views => (viewA, viewB);

    public (Tensor A, Tensor B) Embeddings()
    {
        if (embeddings is null)
        {
            Tensor za, zb;
            using (precision.Forward(device))
                (za, zb) = model.call(viewA, viewB);
            embeddings = (PrecisionPolicy.ForLoss(za), PrecisionPolicy.ForLoss(zb));
        }
        return embeddings.Value;
    }

    public IReadOnlyList<Tensor> LocalEmbeddings()
    {
        if (localEmbeddings is null)
        {
            if (locals is null || locals.Count == 0) return localEmbeddings = Array.Empty<Tensor>();
            IReadOnlyList<Tensor> z;
            using (precision.Forward(device))
                z = model.EmbedLocalViews(locals);
            localEmbeddings = z.Select(PrecisionPolicy.ForLoss).ToArray();
        }
        return localEmbeddings;
    }

    public Tensor Network(Func<Tensor> part)
    {
        Tensor output;
        using (precision.Forward(device))
            output = part();
        return PrecisionPolicy.ForLoss(output);
    }
}
