using Vicreg.Training.Model;
using static TorchSharp.torch;

namespace Vicreg.Training.Methods;

/// <summary>Embeddings computed elsewhere (gathered from data-parallel replicas or from every process), float32. A
/// method that needs more than the two embeddings (a predictor, a momentum target, prototypes) is refused here; the
/// config check refuses it earlier, through its entry's capabilities.</summary>
public sealed class EmbeddingsOnlyPass(Tensor embeddingA, Tensor embeddingB, string where) : IForwardPass
{
    public (Tensor A, Tensor B) Embeddings() => (embeddingA, embeddingB);

    public IReadOnlyList<Tensor> LocalEmbeddings() => Array.Empty<Tensor>();

    public JointEmbedding Model => throw Refused();
    public (Tensor A, Tensor B) Views => throw Refused();
    public Tensor Network(Func<Tensor> part) => throw Refused();

    private NotSupportedException Refused() =>
        new($"{where} computes only the two embeddings for the loss; this method runs network parts or modules of its own, so run it on one device in one process");
}
