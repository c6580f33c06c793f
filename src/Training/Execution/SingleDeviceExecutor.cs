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

    public MethodLoss LossAndGradients(Tensor viewA, Tensor viewB)
    {
        var a = precision.Input(DeviceTransfer.ToDevice(viewA, device)); // from pinned memory, non-blocking, on a GPU
        var b = precision.Input(DeviceTransfer.ToDevice(viewB, device));
        if (method is IRunsBranchesItself own)
        {
            // Predictor and target run inside the method; under bf16 its cosine losses run under autocast too.
            MethodLoss ownLoss;
            using (precision.Forward(device))
                ownLoss = own.Forward(model, a, b);
            ownLoss.Total.backward();
            return ownLoss;
        }
        Tensor za, zb;
        using (precision.Forward(device))
            (za, zb) = model.call(a, b);
        var loss = method.Compute(PrecisionPolicy.ForLoss(za), PrecisionPolicy.ForLoss(zb));
        loss.Total.backward();
        return loss;
    }

    public void Dispose() { }
}
