using Vicreg.Losses;
using Vicreg.Data;
using Vicreg.Training.Methods;
using Vicreg.Training.Model;
using Vicreg.Training.Precision;
using static TorchSharp.torch;

namespace Vicreg.Training.Execution;

/// <summary>One model on one device, under a precision policy; the loss always in float32.</summary>
public sealed class SingleDeviceExecutor : IStepExecutor
{
    private readonly JointEmbedding model;
    private readonly IMethod method;
    private readonly Device device;
    private readonly PrecisionPolicy precision;

    public SingleDeviceExecutor(JointEmbedding model, IMethod method, Device device, PrecisionPolicy? precision = null)
    {
        this.model = model;
        this.method = method;
        this.device = device;
        this.precision = precision ?? PrecisionPolicy.Fp32;
    }

    public string Description => $"{device}, {precision}";

    public LossTerms LossAndGradients(Tensor viewA, Tensor viewB) => LossAndGradients(viewA, viewB, Array.Empty<LocalViews>());

    /// <summary>The network runs under the precision policy inside the pass; the method computes its loss terms from
    /// the pass's float32 results, outside autocast.</summary>
    public LossTerms LossAndGradients(Tensor viewA, Tensor viewB, IReadOnlyList<LocalViews> locals)
    {
        var a = precision.Input(DeviceTransfer.ToDevice(viewA, device)); // from pinned memory, non-blocking, on a GPU
        var b = precision.Input(DeviceTransfer.ToDevice(viewB, device));
        var moved = locals.Select(l => l with { Views = precision.Input(DeviceTransfer.ToDevice(l.Views, device)) }).ToArray();
        var loss = method.Loss(new ModelForwardPass(model, device, precision, a, b, moved));
        loss.Total.backward();
        return loss;
    }

    public void Dispose() { }
}
