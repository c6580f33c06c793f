using TorchSharp;
using TorchSharp.Modules;
using Vicreg.Core;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Vicreg.Encoders.Audio;

/// <summary>
/// A 1-D ResNet for raw waveforms [N, 1, samples] (or [N, samples]). ResNet-18's layout (four stages of two
/// basic blocks, strides 1-2-2-2, kernel 3) on a strided stem: a 49-tap convolution with stride 4 and a
/// max-pool of 4, so the stages see 1/16 of the sample rate. Stage widths are w, 2w, 4w, 8w with w = 48 by
/// default, giving the paper's 384-dimensional output. torchvision-style names (conv1, bn1, layerK.i…).
/// </summary>
public sealed class ResNet1d : Encoder
{
    private readonly Conv1d conv1;
    private readonly StableBatchNorm bn1;
    private readonly MaxPool1d maxpool;
    private readonly Sequential layer1, layer2, layer3, layer4;
    private readonly int outputDim;

    public ResNet1d(string name, int[] layers, int baseWidth = 48, int inChannels = 1, bool zeroInitResidual = true) : base(name)
    {
        if (layers.Length != 4 || layers.Any(n => n < 1)) throw new ArgumentException("a ResNet needs 4 stages with at least one block each");
        if (baseWidth < 1) throw new ArgumentOutOfRangeException(nameof(baseWidth), $"base_width must be ≥ 1; got {baseWidth}");
        conv1 = Conv1d(inChannels, baseWidth, 49, stride: 4, padding: 24, bias: false);
        bn1 = StableBatchNorm.Norm1d(baseWidth);
        maxpool = MaxPool1d(4, stride: 4);
        long inPlanes = baseWidth;
        Sequential Stage(long planes, int blocks, long stride)
        {
            var list = new List<Module<Tensor, Tensor>>();
            for (int i = 0; i < blocks; i++)
            {
                list.Add(new BasicBlock1d(inPlanes, planes, i == 0 ? stride : 1));
                inPlanes = planes;
            }
            return Sequential(list);
        }
        layer1 = Stage(baseWidth, layers[0], 1);
        layer2 = Stage(baseWidth * 2, layers[1], 2);
        layer3 = Stage(baseWidth * 4, layers[2], 2);
        layer4 = Stage(baseWidth * 8, layers[3], 2);
        outputDim = (int)inPlanes;
        RegisterComponents();
        using var noGrad = no_grad();
        foreach (var (_, m) in named_modules())
        {
            if (m is Conv1d conv) init.kaiming_normal_(conv.weight, mode: init.FanInOut.FanOut, nonlinearity: init.NonlinearityType.ReLU);
            else if (m is StableBatchNorm bn) { init.ones_(bn.weight); init.zeros_(bn.bias!); }
        }
        if (zeroInitResidual)
            foreach (var (_, m) in named_modules())
                if (m is BasicBlock1d block) init.zeros_(block.LastNorm.weight);
    }

    public override int OutputDim => outputDim;
    public override string InputForm => "waveform";

    /// <summary>Input samples per output frame of the last stage (16 × 8 = 128).</summary>
    public const int TotalStride = 128;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        if (x.dim() == 2) x = x.unsqueeze(1);
        var y = maxpool.call(functional.relu(bn1.call(conv1.call(x))));
        y = layer4.call(layer3.call(layer2.call(layer1.call(y))));
        return y.mean(new long[] { 2 }).MoveToOuterDisposeScope();
    }
}

/// <summary>Two kernel-3 1-D convolutions with a residual connection (ResNet-18's block in 1-D).</summary>
public sealed class BasicBlock1d : Module<Tensor, Tensor>
{
    private readonly Conv1d conv1, conv2;
    private readonly StableBatchNorm bn1, bn2;
    private readonly Sequential? downsample;

    public BasicBlock1d(long inPlanes, long planes, long stride) : base(nameof(BasicBlock1d))
    {
        conv1 = Conv1d(inPlanes, planes, 3, stride: stride, padding: 1, bias: false);
        bn1 = StableBatchNorm.Norm1d(planes);
        conv2 = Conv1d(planes, planes, 3, padding: 1, bias: false);
        bn2 = StableBatchNorm.Norm1d(planes);
        if (stride != 1 || inPlanes != planes)
            downsample = Sequential(Conv1d(inPlanes, planes, 1, stride: stride, bias: false), StableBatchNorm.Norm1d(planes));
        RegisterComponents();
    }

    public StableBatchNorm LastNorm => bn2;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = functional.relu(bn1.call(conv1.call(x)));
        y = bn2.call(conv2.call(y));
        var identity = downsample is null ? x : downsample.call(x);
        return functional.relu(y.PlusInPlace(identity)).MoveToOuterDisposeScope();
    }
}
