using TorchSharp;
using Vicreg.Core;
using static TorchSharp.torch;

namespace Vicreg.Encoders.Audio;

/// <summary>SpecAugment masks (Park et al. 2019) on [N, 1, mels, frames]: per example, <see cref="TimeMasks"/>
/// bands of up to <see cref="MaxTimeWidth"/> frames and <see cref="FreqMasks"/> bands of up to
/// <see cref="MaxFreqWidth"/> mel bins are set to 0.</summary>
public sealed record SpecAugmentOptions
{
    [Option("Time masks per training example (0: none).", Min = 0)]
    public int TimeMasks { get; init; }
    [Option("Widest time mask, in frames.", Min = 0)]
    public int MaxTimeWidth { get; init; } = 20;
    [Option("Frequency masks per training example (0: none).", Min = 0)]
    public int FreqMasks { get; init; }
    [Option("Widest frequency mask, in mel bands.", Min = 0)]
    public int MaxFreqWidth { get; init; } = 8;

    public bool Enabled => (TimeMasks > 0 && MaxTimeWidth > 0) || (FreqMasks > 0 && MaxFreqWidth > 0);
}

/// <summary>Applies <see cref="SpecAugmentOptions"/> in training mode only, drawing from torch's generator (so
/// checkpoints restore the stream); the identity in eval mode. Runs on the spectrogram's device.</summary>
public sealed class SpecAugment : nn.Module<Tensor, Tensor>
{
    private readonly SpecAugmentOptions options;

    public SpecAugment(SpecAugmentOptions options) : base(nameof(SpecAugment)) => this.options = options;

    public override Tensor forward(Tensor spec)
    {
        if (!training || !options.Enabled) return spec.alias();
        using var scope = NewDisposeScope();
        var keep = ones_like(spec, dtype: ScalarType.Bool);
        for (int i = 0; i < options.FreqMasks; i++) keep = keep.logical_and(Band(spec, 2, options.MaxFreqWidth).logical_not());
        for (int i = 0; i < options.TimeMasks; i++) keep = keep.logical_and(Band(spec, 3, options.MaxTimeWidth).logical_not());
        return spec.mul(keep).MoveToOuterDisposeScope();
    }

    /// <summary>A bool mask [N, 1, mels, frames], true on one random band along <paramref name="dim"/> per example.</summary>
    private static Tensor Band(Tensor spec, int dim, int maxWidth)
    {
        long n = spec.shape[0], size = spec.shape[dim];
        int limit = (int)Math.Min(maxWidth, size);
        var width = rand(n, device: spec.device).mul(Scalars.Float(limit + 1)).floor_();
        var start = rand(n, device: spec.device).mul(width.SubtractedFrom(size)).floor_();
        using var end = size.ToScalar();
        var position = arange(Scalars.Int64(0), end, Scalars.Int64(1), dtype: ScalarType.Float32, device: spec.device).unsqueeze(0); // [1, size]
        var inBand = position.ge(start.unsqueeze(1)).logical_and(position.lt(start.Plus(width).unsqueeze(1))); // [N, size]
        var shape = new long[] { n, 1, 1, 1 };
        shape[dim] = size;
        return inBand.view(shape);
    }
}
