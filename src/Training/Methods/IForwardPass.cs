using Vicreg.Training.Model;
using static TorchSharp.torch;

namespace Vicreg.Training.Methods;

/// <summary>
/// What an executor hands a method for one step. The network runs here, under the run's precision policy (autocast in
/// bf16); everything it returns is float32. A method computes its loss terms from these results, outside autocast, so
/// every term, added variance/covariance and SwAV's prototype scores included, is computed in float32.
/// </summary>
public interface IForwardPass
{
    /// <summary>Branch A's embedding of view A and branch B's of view B, [N, D], float32 (computed once per step).</summary>
    (Tensor A, Tensor B) Embeddings();

    /// <summary>The embedding [N, D] of every multi-crop local view, group by group; empty without local views.</summary>
    IReadOnlyList<Tensor> LocalEmbeddings();

    /// <summary>The model, for a method's own network parts (a predictor, a momentum target) and modules (prototypes).</summary>
    JointEmbedding Model { get; }

    /// <summary>The two global views on the model's device, as the network takes them.</summary>
    (Tensor A, Tensor B) Views { get; }

    /// <summary>Runs a network part of the method's own (a predictor, a momentum target) under the precision policy
    /// and returns its output in float32.</summary>
    Tensor Network(Func<Tensor> part);
}
