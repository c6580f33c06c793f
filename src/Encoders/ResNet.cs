using TorchSharp;
using TorchSharp.Modules;
using Vicreg.Core;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Vicreg.Encoders;

/// <summary>
/// ResNet for images and spectrograms, with torchvision's parameter names (conv1, bn1, layer1.0.conv1, …,
/// fc) so that PyTorch state dicts map by name. Without a classifier (NumClasses = 0, the default for
/// self-supervised use) it returns the globally pooled features.
/// </summary>
public sealed class ResNet : Encoder
{
    private readonly Conv2d conv1;
    private readonly StableBatchNorm bn1;
    private readonly Module<Tensor, Tensor> maxpool;
    private readonly Sequential layer1, layer2, layer3, layer4;
    private readonly Linear? fc;
    private readonly int outputDim;

    public ResNet(string name, bool bottleneck, int[] layers, ResNetOptions? options = null) : base(name)
    {
        if (layers.Length != 4 || layers.Any(n => n < 1))
            throw new ArgumentException("a ResNet needs 4 stages with at least one block each", nameof(layers));
        var o = options ?? new ResNetOptions();
        if (o.Widen < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Widen must be ≥ 1; got {o.Widen}");
        if (o.BaseWidth < 1) throw new ArgumentOutOfRangeException(nameof(options), $"BaseWidth must be ≥ 1; got {o.BaseWidth}");
        if (o.InChannels < 1) throw new ArgumentOutOfRangeException(nameof(options), $"InChannels must be ≥ 1; got {o.InChannels}");
        Options = o;
        Layers = layers.ToArray();
        IsBottleneck = bottleneck;
        long width = (long)o.BaseWidth * o.Widen;
        conv1 = o.Stem == ResNetStem.ImageNet
            ? Conv2d(o.InChannels, width, 7, stride: 2, padding: 3, bias: false)
            : Conv2d(o.InChannels, width, 3, stride: 1, padding: 1, bias: false);
        bn1 = StableBatchNorm.Norm2d(width);
        maxpool = o.Stem == ResNetStem.ImageNet ? MaxPool2d(3, stride: 2, padding: 1) : Identity();

        long inPlanes = width;
        Sequential Stage(long planes, int blocks, long stride)
        {
            var list = new List<Module<Tensor, Tensor>>();
            for (int i = 0; i < blocks; i++)
            {
                list.Add(bottleneck
                    ? new Bottleneck(inPlanes, planes, i == 0 ? stride : 1)
                    : new BasicBlock(inPlanes, planes, i == 0 ? stride : 1));
                inPlanes = planes * (bottleneck ? Bottleneck.Expansion : BasicBlock.Expansion);
            }
            return Sequential(list);
        }
        layer1 = Stage(width, layers[0], 1);
        layer2 = Stage(width * 2, layers[1], 2);
        layer3 = Stage(width * 4, layers[2], 2);
        layer4 = Stage(width * 8, layers[3], 2);
        outputDim = (int)inPlanes;
        if (o.NumClasses > 0) fc = Linear(inPlanes, o.NumClasses);
        RegisterComponents();
        Initialize(o.ZeroInitResidual);
    }

    public ResNetOptions Options { get; }

    /// <summary>Blocks per stage (2, 2, 2, 2 for ResNet-18).</summary>
    public IReadOnlyList<int> Layers { get; }

    /// <summary>Bottleneck blocks (ResNet-50 and deeper) rather than basic ones.</summary>
    public bool IsBottleneck { get; }

    /// <summary>Width of the pooled features (512 for ResNet-18/34, 2048 for ResNet-50 and deeper, ×Widen).</summary>
    public int FeatureDim => outputDim;

    public override int OutputDim => fc is null ? outputDim : Options.NumClasses;

    public override string InputForm => Modalities.Image;

    /// <summary>torchvision's initialisation: Kaiming-normal (fan_out) convolutions, BN γ=1 β=0,
    /// and optionally γ=0 in the last BN of each residual block (paper: zero-init residual).</summary>
    private void Initialize(bool zeroInitResidual)
    {
        using var noGrad = no_grad();
        foreach (var (_, m) in named_modules())
        {
            if (m is Conv2d conv) init.kaiming_normal_(conv.weight, mode: init.FanInOut.FanOut, nonlinearity: init.NonlinearityType.ReLU);
            else if (m is StableBatchNorm bn) { init.ones_(bn.weight); init.zeros_(bn.bias!); }
        }
        if (!zeroInitResidual) return;
        foreach (var (_, m) in named_modules())
            if (m is ResidualBlock block) init.zeros_(block.LastNorm.weight);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = maxpool.call(functional.relu(bn1.call(conv1.call(x))));
        y = layer4.call(layer3.call(layer2.call(layer1.call(y))));
        y = functional.adaptive_avg_pool2d(y, new long[] { 1, 1 }).flatten(1);
        if (fc is not null) y = fc.call(y);
        return y.MoveToOuterDisposeScope();
    }
}
