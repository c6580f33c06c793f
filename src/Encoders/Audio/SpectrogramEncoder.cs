using TorchSharp;
using static TorchSharp.torch;

namespace Vicreg.Encoders.Audio;

/// <summary>
/// The paper's spectrogram branch: waveform → <see cref="LogMel"/> (on the device) → optional
/// <see cref="SpecAugment"/> (training only) → a 2-D encoder with one input channel (ResNet-18 → 512).
/// Takes the same raw waveform views as the waveform branch, so one loader feeds both.
/// </summary>
public sealed class SpectrogramEncoder : Encoder
{
    private readonly LogMel frontend;
    private readonly SpecAugment specaugment;
    private readonly Encoder backbone;

    public SpectrogramEncoder(LogMelOptions mel, SpecAugmentOptions specAugment, Encoder backbone) : base(nameof(SpectrogramEncoder))
    {
        frontend = new LogMel(mel);
        specaugment = new SpecAugment(specAugment);
        this.backbone = backbone;
        RegisterComponents();
    }

    public LogMel FrontEnd => frontend;
    public Encoder Backbone => backbone;
    public override int OutputDim => backbone.OutputDim;
    public override string InputForm => "spectrogram";

    public override Tensor forward(Tensor waveform)
    {
        using var scope = NewDisposeScope();
        return backbone.call(specaugment.call(frontend.call(waveform))).MoveToOuterDisposeScope();
    }
}
