using TorchSharp;
using TorchSharp.Modules;
using Vicreg.Encoders;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training.Sources.NewModality;

/// <summary>A small 1-D CNN over [N, 3, window] accelerometer windows: two strided convolutions, then the mean over time.</summary>
public sealed class AccelNet : Encoder
{
    public const string Name = "accel-cnn";
    public static readonly EncoderEntry Entry = new(Name, AccelModality.Name, LogMel: false, spec => new AccelNet(spec.BaseWidth ?? 16));

    private readonly Conv1d conv1;
    private readonly BatchNorm1d bn1;
    private readonly Conv1d conv2;
    private readonly int width;

    public AccelNet(int width) : base(Name)
    {
        this.width = 2 * width;
        conv1 = nn.Conv1d(AccelModality.Axes, width, 5, stride: 2, padding: 2);
        bn1 = nn.BatchNorm1d(width);
        conv2 = nn.Conv1d(width, 2 * width, 5, stride: 2, padding: 2);
        RegisterComponents();
    }

    public override int OutputDim => width;
    public override string InputForm => AccelModality.Name;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = nn.functional.relu(bn1.call(conv1.call(x)));
        h = nn.functional.relu(conv2.call(h));
        return h.mean(new long[] { 2 }).MoveToOuterDisposeScope();
    }
}
