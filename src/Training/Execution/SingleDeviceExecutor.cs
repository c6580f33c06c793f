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

    /// <summary>Multi-crop: the global views and every group of local views forward under the precision policy; a
    /// method that runs its branches itself gets them all (SwAV), any other the embeddings of all of them.</summary>
    public MethodLoss LossAndGradients(Tensor viewA, Tensor viewB, IReadOnlyList<LocalViews> locals)
    {
        if (locals.Count == 0) return LossAndGradients(viewA, viewB);
        var a = precision.Input(DeviceTransfer.ToDevice(viewA, device));
        var b = precision.Input(DeviceTransfer.ToDevice(viewB, device));
        var moved = locals.Select(l => l with { Views = precision.Input(DeviceTransfer.ToDevice(l.Views, device)) }).ToArray();
        MethodLoss loss;
        if (method is IRunsBranchesItself own)
        {
            using (precision.Forward(device))
                loss = own.Forward(model, a, b, moved);
        }
        else
        {
            Tensor za, zb;
            IReadOnlyList<Tensor> zl;
            using (precision.Forward(device))
            {
                (za, zb) = model.call(a, b);
                zl = model.EmbedLocalViews(moved);
            }
            loss = method.ComputeWithLocals(PrecisionPolicy.ForLoss(za), PrecisionPolicy.ForLoss(zb), zl.Select(PrecisionPolicy.ForLoss).ToArray());
        }
        loss.Total.backward();
        return loss;
    }

    public void Dispose() { }
}
