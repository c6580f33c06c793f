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
    public Branch(Encoder encoder, string expanderSpec, string name = "branch", string? predictorSpec = null) : base(name)
    {
        backbone = encoder;
        projector = new Expander(encoder.OutputDim, expanderSpec);
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

    public Encoder Encoder => backbone;
    public Expander Expander => projector;
    public string Modality => backbone.Modality;

    public override (Tensor Representation, Tensor Embedding) forward(Tensor view)
    {
        var representation = backbone.call(view);
        return (representation, projector.call(representation));
    }
}
