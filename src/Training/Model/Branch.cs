using TorchSharp;
using Vicreg.Encoders;
using static TorchSharp.torch;

namespace Vicreg.Training.Model;

/// <summary>
/// One side of the joint embedding: an encoder (backbone) and an expander (projector). Field names match
/// the official VICReg model (backbone.*, projector.*) so that its checkpoints map by name.
/// </summary>
public sealed class Branch : nn.Module<Tensor, (Tensor Representation, Tensor Embedding)>
{
    private readonly Encoder backbone;
    private readonly Expander projector;
    private readonly Expander? predictor;

    /// <param name="predictorSpec">Optional predictor MLP on the embedding (BYOL, SimSiam), e.g. "4096-256";
    /// it must end in the embedding width. Not applied by <see cref="forward"/>: the method calls it.</param>
    /// <param name="expanderBatchNorm">BatchNorm in the expander's hidden layers (Table 8 turns it off).</param>
    /// <param name="normalizeEmbedding">ℓ2-normalise the embedding (Table 8's variant).</param>
    public Branch(Encoder encoder, string expanderSpec, string name = "branch", string? predictorSpec = null,
        bool expanderBatchNorm = true, bool normalizeEmbedding = false) : base(name)
    {
        backbone = encoder;
        projector = new Expander(encoder.OutputDim, expanderSpec, expanderBatchNorm);
        NormalizesEmbedding = normalizeEmbedding;
        if (predictorSpec is not null)
        {
            predictor = new Expander(projector.OutputDim, predictorSpec);
            if (predictor.OutputDim != projector.OutputDim)
                throw new ArgumentException($"the predictor \"{predictorSpec}\" must end in the embedding width {projector.OutputDim}");
        }
        RegisterComponents();
    }

    /// <summary>The predictor MLP (state-dict keys predictor.*), or null.</summary>
    public Expander? Predictor => predictor;
    public bool NormalizesEmbedding { get; }

    public Encoder Encoder => backbone;
    public Expander Expander => projector;
    /// <summary>The form of input its encoder reads (<see cref="Encoder.InputForm"/>).</summary>
    public string InputForm => backbone.InputForm;

    public override (Tensor Representation, Tensor Embedding) forward(Tensor view)
    {
        var representation = backbone.call(view);
        var embedding = projector.call(representation);
        if (!NormalizesEmbedding) return (representation, embedding);
        using (embedding) return (representation, nn.functional.normalize(embedding, p: 2.0, dim: 1, eps: 1e-12));
    }
}
