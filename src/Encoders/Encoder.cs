using static TorchSharp.torch;
using TorchSharp;

namespace Vicreg.Encoders;

/// <summary>A backbone: maps a view to a representation of <see cref="OutputDim"/> features.</summary>
public abstract class Encoder : nn.Module<Tensor, Tensor>
{
    protected Encoder(string name) : base(name) { }

    /// <summary>Width of the representation this encoder returns ([N, OutputDim]).</summary>
    public abstract int OutputDim { get; }

    /// <summary>The form of input it reads ("image", "waveform", "spectrogram"), for naming probe rows, feature files and
    /// retrieval directions. Not a modality: the data modality an encoder consumes is its catalog entry's
    /// <see cref="EncoderEntry.Input"/>, the one vocabulary configs, dataset kinds and modality plug-ins use.</summary>
    public abstract string InputForm { get; }
}
