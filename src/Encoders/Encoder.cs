using static TorchSharp.torch;
using TorchSharp;

namespace Vicreg.Encoders;

/// <summary>A backbone: maps a view to a representation of <see cref="OutputDim"/> features.</summary>
public abstract class Encoder : nn.Module<Tensor, Tensor>
{
    protected Encoder(string name) : base(name) { }

    /// <summary>Width of the representation this encoder returns ([N, OutputDim]).</summary>
    public abstract int OutputDim { get; }

    /// <summary>The modality this encoder consumes, e.g. "image", "waveform", "spectrogram".</summary>
    public abstract string Modality { get; }
}
