using Vicreg.Core;
using Vicreg.Encoders;
using static TorchSharp.torch;

namespace Vicreg.Training.Evaluation;

/// <summary>The baseline "encoder" that learns nothing: the normalised pixels of the centred evaluation view,
/// flattened. A linear probe on it is a linear model on raw pixels, the floor a backbone should clear.</summary>
public sealed class RawPixels : Encoder
{
    private readonly int _dim;

    public RawPixels(int imageSize, int channels = 3) : base("raw-pixels") => _dim = channels * imageSize * imageSize;

    public override int OutputDim => _dim;
    public override string InputForm => Modalities.Image;

    public override Tensor forward(Tensor input) => input.flatten(1);
}
