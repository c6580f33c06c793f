using TorchSharp;
using TorchSharp.Modules;
using Vicreg.Core;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Vicreg.Encoders;

/// <summary>Shared pieces of the residual blocks. Field names follow torchvision so state dicts map by name.</summary>
public abstract class ResidualBlock : Module<Tensor, Tensor>
{
    protected ResidualBlock(string name) : base(name) { }

    /// <summary>The BN whose γ is zeroed by zero-init-residual, so each block starts as the identity.</summary>
    public abstract StableBatchNorm LastNorm { get; }

    internal static Sequential? Downsample(long inPlanes, long outPlanes, long stride) =>
        stride != 1 || inPlanes != outPlanes
            ? Sequential(Conv2d(inPlanes, outPlanes, 1, stride: stride, bias: false), StableBatchNorm.Norm2d(outPlanes))
            : null;
}

/// <summary>The two 3×3 convolutions block of ResNet-18/34.</summary>
public sealed class BasicBlock : ResidualBlock
{
    public const int Expansion = 1;
    private readonly Conv2d conv1, conv2;
    private readonly StableBatchNorm bn1, bn2;
    private readonly Sequential? downsample;

    public BasicBlock(long inPlanes, long planes, long stride) : base(nameof(BasicBlock))
    {
        conv1 = Conv2d(inPlanes, planes, 3, stride: stride, padding: 1, bias: false);
        bn1 = StableBatchNorm.Norm2d(planes);
        conv2 = Conv2d(planes, planes, 3, padding: 1, bias: false);
        bn2 = StableBatchNorm.Norm2d(planes);
        downsample = Downsample(inPlanes, planes * Expansion, stride);
        RegisterComponents();
    }

    public override StableBatchNorm LastNorm => bn2;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = functional.relu(bn1.call(conv1.call(x)));
        y = bn2.call(conv2.call(y));
        var identity = downsample is null ? x : downsample.call(x);
        return functional.relu(y.PlusInPlace(identity)).MoveToOuterDisposeScope();
    }
}

/// <summary>The 1×1–3×3–1×1 block of ResNet-50 and deeper (stride on the 3×3, as torchvision v1.5).</summary>
public sealed class Bottleneck : ResidualBlock
{
    public const int Expansion = 4;
    private readonly Conv2d conv1, conv2, conv3;
    private readonly StableBatchNorm bn1, bn2, bn3;
    private readonly Sequential? downsample;

    public Bottleneck(long inPlanes, long planes, long stride) : base(nameof(Bottleneck))
    {
        conv1 = Conv2d(inPlanes, planes, 1, bias: false);
        bn1 = StableBatchNorm.Norm2d(planes);
        conv2 = Conv2d(planes, planes, 3, stride: stride, padding: 1, bias: false);
        bn2 = StableBatchNorm.Norm2d(planes);
        conv3 = Conv2d(planes, planes * Expansion, 1, bias: false);
        bn3 = StableBatchNorm.Norm2d(planes * Expansion);
        downsample = Downsample(inPlanes, planes * Expansion, stride);
        RegisterComponents();
    }

    public override StableBatchNorm LastNorm => bn3;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = functional.relu(bn1.call(conv1.call(x)));
        y = functional.relu(bn2.call(conv2.call(y)));
        y = bn3.call(conv3.call(y));
        var identity = downsample is null ? x : downsample.call(x);
        return functional.relu(y.PlusInPlace(identity)).MoveToOuterDisposeScope();
    }
}
