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

    public Branch(Encoder encoder, string expanderSpec, string name = "branch") : base(name)
    {
        backbone = encoder;
        projector = new Expander(encoder.OutputDim, expanderSpec);
        RegisterComponents();
    }

    public Encoder Encoder => backbone;
    public Expander Expander => projector;
    public string Modality => backbone.Modality;

    public override (Tensor Representation, Tensor Embedding) forward(Tensor view)
    {
        var representation = backbone.call(view);
        return (representation, projector.call(representation));
    }
}
