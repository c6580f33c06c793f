using TorchSharp;
using Vicreg.Core;
using Vicreg.Encoders;
using Vicreg.Training.Sources;
using Vicreg.Training.Config;
using Vicreg.Training.Execution;
using Vicreg.Runs;
using Vicreg.Training.Methods;
using Vicreg.Training.Model;
using Vicreg.Training.Runs;
using static TorchSharp.torch;

namespace Vicreg.Tooling.SelfCheck;

/// <summary>One check: what was compared, on which device, the measured difference against its tolerance.</summary>
public sealed record SelfCheckRow(string Check, string Device, double Value, double Tolerance, bool Pass, string Note = "");

/// <summary>
/// The checks of a device against the CPU: the losses and their gradients (the losses compute in float32 whatever they
/// are given), a model's gradients against the same model on the CPU, the dtypes autocast gives, and one training step
/// of every method and pairing with the model built on the CPU and then moved, with nothing left behind.
/// </summary>
public static class DeviceSelfCheck
{
    /// <summary>Runs every check on <paramref name="on"/>, reporting each row as it is measured.</summary>
    public static IReadOnlyList<SelfCheckRow> Run(Device on, Action<SelfCheckRow> report)
    {
        var rows = new List<SelfCheckRow>();
        void Add(SelfCheckRow r)
        {
            rows.Add(r);
            report(r);
        }
        Losses(on, Add);
        ModelGradients(on, Add);
        AutocastDtypes(on, Add);
        foreach (var (name, overrides) in StepCases(on)) Step(name, overrides, on, Add);
        return rows;
    }

    /// <summary>Each method's loss and its gradient with respect to the embeddings, on the device against the CPU.</summary>
    private static void Losses(Device on, Action<SelfCheckRow> add)
    {
        manual_seed(0);
        using var z1 = randn(64, 96);
        using var z2 = z1.add(randn(64, 96), Scalars.Float(0.5));
        // Every method of the catalog whose loss is a function of the two embeddings, at its defaults; VICReg's
        // covariance also in its D×D form, which the Gram form must match.
        var run = MethodContext.Of(new Vicreg.Training.Config.ExperimentConfig());
        var methods = MethodCatalog.All.Where(e => e.Pairwise)
            .Select(e => (e.Name, Method: (IPairwiseMethod)e.Create(e.DefaultOptions, run)))
            .Append(($"{VicRegMethod.Entry.Name}-dxd", new VicRegMethod(new Vicreg.Losses.VicRegOptions(Form: Vicreg.Losses.CovarianceForm.Feature))))
            .ToArray();
        foreach (var (name, method) in methods)
        {
            using var scope = NewDisposeScope();
            var (refLoss, refGrad) = LossAndGrad(method, z1, z2);
            var (loss, grad) = LossAndGrad(method, z1.to(on), z2.to(on));
            double lossDiff = Math.Abs(loss - refLoss) / Math.Max(1e-12, Math.Abs(refLoss));
            double gradDiff = grad.cpu().sub(refGrad).abs().max().ToDouble() / Math.Max(1e-30, refGrad.abs().max().ToDouble());
            add(new SelfCheckRow($"loss:{name}", on.ToString(), lossDiff, 1e-4, lossDiff <= 1e-4, $"loss {loss:G6} vs {refLoss:G6}"));
            add(new SelfCheckRow($"grad:{name}", on.ToString(), gradDiff, 1e-3, gradDiff <= 1e-3));
        }
    }

    private static string SmallImageEncoder => EncoderCatalog.Default(Modalities.Image, EncoderDefault.Small);

    private static (double Loss, Tensor Grad) LossAndGrad(IPairwiseMethod method, Tensor a, Tensor b)
    {
        var x = a.detach().requires_grad_();
        var y = b.detach().requires_grad_();
        using var loss = method.Compute(x, y);
        loss.Total.backward();
        return (loss.Total.ToDouble(), x.grad!.detach());
    }

    /// <summary>A small ResNet + expander: loss and gradients on the device against the same model on the CPU
    /// (GPU convolutions may use TF32, hence the loose tolerance).</summary>
    private static void ModelGradients(Device on, Action<SelfCheckRow> add)
    {
        var config = new ModelConfig { BranchA = new BranchConfig { Encoder = SmallImageEncoder, Expander = "64-64", Stem = Vicreg.Encoders.ResNetStem.Small, BaseWidth = 8 } };
        manual_seed(3);
        using var cpuModel = ModelFactory.Build(config);
        manual_seed(3);
        using var model = ModelFactory.Build(config);
        model.to(on);
        manual_seed(4);
        using var a = randn(16, 3, 32, 32);
        using var b = a.add(randn(16, 3, 32, 32), Scalars.Float(0.5));
        using var scope = NewDisposeScope();
        var method = new VicRegMethod();
        double Run(JointEmbedding m, Device d)
        {
            m.train();
            using var loss = new SingleDeviceExecutor(m, method, d).LossAndGradients(a, b);
            return loss.Total.ToDouble();
        }
        double refLoss = Run(cpuModel, CPU), loss = Run(model, on);
        double worst = cpuModel.parameters().Zip(model.parameters()).Max(p =>
            p.Second.grad!.cpu().sub(p.First.grad!).abs().max().item<float>() / Math.Max(1e-12, p.First.grad!.abs().max().item<float>()));
        double lossDiff = Math.Abs(loss - refLoss) / Math.Abs(refLoss);
        add(new SelfCheckRow("model:loss", on.ToString(), lossDiff, 1e-3, lossDiff <= 1e-3, $"loss {loss:G6} vs CPU {refLoss:G6}"));
        add(new SelfCheckRow("model:grad", on.ToString(), worst, 5e-2, worst <= 5e-2, "max over parameters of max|Δgrad| / max|grad|"));
    }

    /// <summary>Under bf16 autocast: matrix products and convolutions in bf16; the embedding the loss takes in float32.</summary>
    private static void AutocastDtypes(Device on, Action<SelfCheckRow> add)
    {
        using var scope = NewDisposeScope();
        var x = randn(8, 16).to(on);
        var w = randn(16, 16).to(on);
        var image = randn(2, 3, 8, 8).to(on);
        var kernel = randn(4, 3, 3, 3).to(on);
        ScalarType mm, conv, sum;
        using (new AutocastScope(on.type))
        {
            mm = x.matmul(w).dtype;
            conv = nn.functional.conv2d(image, kernel).dtype;
            sum = x.matmul(w).sum().dtype;
        }
        var forLoss = Vicreg.Training.Precision.PrecisionPolicy.ForLoss(x.to(ScalarType.BFloat16)).dtype;
        bool ok = mm == ScalarType.BFloat16 && conv == ScalarType.BFloat16 && forLoss == ScalarType.Float32;
        add(new SelfCheckRow("autocast:bf16", on.ToString(), ok ? 0 : 1, 0, ok, $"matmul {mm}, conv2d {conv}, sum {sum}, loss input {forLoss}"));
    }

    private static IEnumerable<(string Name, string[] Overrides)> StepCases(Device on)
    {
        string[] waveSpec =
        {
            "data.kind=synthetic-audio", "data.audio.sample_rate=8000", "data.audio.synthetic.root=unused-audio",
            "data.audio.view_a.crop_seconds=1", "data.audio.view_b.crop_seconds=1",
            "model.shared=false", "model.branch_a.encoder=resnet1d18", "optim.name=adamw", "optim.base_lr=0.001",
            "model.branch_b.encoder=spectrogram-resnet18", "model.branch_b.base_width=8", "model.branch_b.expander=32-32",
            "model.branch_b.mel.sample_rate=8000", "model.branch_b.mel.n_fft=256", "model.branch_b.mel.win_length=200",
            "model.branch_b.mel.hop_length=80", "model.branch_b.mel.n_mels=32",
        };
        yield return ("vicreg-shared", new[] { "model.shared=true" });
        yield return ("vicreg-shared-bf16", new[] { "model.shared=true", "precision=bf16" });
        yield return ("vicreg-dw", new[] { "model.shared=false" });
        yield return ("vicreg-da", new[] { "model.shared=false", "model.branch_b.encoder=resnet34", "model.branch_b.base_width=8", "model.branch_b.expander=32-32" });
        // Every other method of the catalog, with a predictor where its entry trains one and the added terms where it takes them.
        foreach (var entry in MethodCatalog.All.Skip(1))
        {
            var sets = new List<string> { $"method.name={entry.Name}" };
            if (entry.Capabilities.Predictor != PredictorUse.None) sets.Add("model.branch_a.predictor=16-32");
            if (entry.DefaultOptions is WithAddedTermsOptions) sets.AddRange(new[] { "method.var_coeff=1", "method.cov_coeff=0.01" });
            yield return (entry.Name, sets.ToArray());
        }
        yield return ("wave-spec", waveSpec);
        int gpus = on.type == DeviceType.CUDA ? cuda.device_count() : 0;
        string parallel = gpus >= 2 ? "parallel.devices=[\"cuda:0\",\"cuda:1\"]" : $"parallel.devices=[\"{(on.type == DeviceType.CUDA ? "cuda:0" : "cpu")}\",\"{(on.type == DeviceType.CUDA ? "cuda:0" : "cpu")}\"]";
        yield return ("data-parallel", new[] { "model.shared=false", parallel });
    }

    /// <summary>One step with the model built on the CPU and then moved, as PretrainJob does; then nothing may be left behind.</summary>
    private static void Step(string name, string[] overrides, Device on, Action<SelfCheckRow> add)
    {
        try
        {
            var c = ConfigLoader.Parse("{}", $"selfcheck {name}", new[]
            {
                $"name={name}", $"device={(on.type == DeviceType.CUDA ? $"cuda:{Math.Max(0, on.index)}" : "cpu")}", "seed=1",
                $"data.kind={DatasetCatalog.GeneratedOf(Modalities.Image)!.Name}", "data.synthetic.root=unused", "data.image_size=32", $"model.branch_a.encoder={SmallImageEncoder}",
                "model.branch_a.base_width=8", "model.branch_a.stem=small", "model.branch_a.expander=32-32", "optim.batch_size=16",
            }.Concat(overrides));
            var devices = ExecutionSetup.Devices(c);
            manual_seed(c.Seed);
            using var model = ModelFactory.Build(c.Model, c.Method);
            model.to(devices[0]);
            model.train();
            using var optimizer = OptimizerSetup.Create(c.Optim, model);
            var method = MethodCatalog.Create(c);
            using var executor = ExecutionSetup.Create(c, model, method, devices);
            using var scope = NewDisposeScope();
            var before = model.parameters().Where(p => p.requires_grad).Select(p => p.detach().clone()).ToArray();
            manual_seed(2);
            // Random views of the shape each branch's recipe draws ([3, 32, 32] images, [1, 8000] waveforms).
            Tensor View(BranchSide side) => randn([16, .. ModalityCatalog.RecipeFor(c, side).TrainShape]);
            optimizer.ZeroGrad();
            using var loss = executor.LossAndGradients(View(BranchSide.A), View(BranchSide.B));
            double value = loss.Values().Total;
            optimizer.Step(0.01);
            method.AfterOptimizerStep(model, 0, 10);
            bool moved = model.parameters().Where(p => p.requires_grad).Zip(before).Any(x => !x.First.equal(x.Second).all().item<bool>());
            var problems = PlacementAudit.Problems(model, optimizer, executor, devices[0], ScalarType.Float32);
            bool ok = double.IsFinite(value) && moved && problems.Count == 0;
            string note = !double.IsFinite(value) ? $"loss {value}" : !moved ? "no weight changed" : problems.Count > 0 ? $"{problems.Count} left behind, first: {problems[0]}" : $"loss {value:G5}; {executor.Description}";
            add(new SelfCheckRow($"step:{name}", on.ToString(), value, 0, ok, note));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            add(new SelfCheckRow($"step:{name}", on.ToString(), double.NaN, 0, false, $"{e.GetType().Name}: {e.Message.Split('\n')[0]}"));
        }
    }
}
