using TorchSharp;
using Vicreg.Core;
using Vicreg.Data;
using Vicreg.Encoders.Audio;
using Vicreg.Training;
using Vicreg.Training.Config;
using Vicreg.Training.DataParallel;
using Vicreg.Training.Execution;
using Vicreg.Runs;
using Vicreg.Training.Methods;
using Vicreg.Training.Model;
using Vicreg.Training.Optim;
using Vicreg.Training.Runs;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training.Model;

/// <summary>
/// One training step of every method and pairing with the model built on the CPU and then moved, as
/// PretrainJob does on a GPU, proving that nothing the step touches was left behind.
///
/// The move is float32 → float64 on the CPU. TorchSharp's <c>Module.to</c> takes the same path for a dtype
/// change as for a device change (<c>_toEpilog</c> → <c>ReplaceParameter</c>/<c>ReplaceBuffer</c>): every
/// parameter and buffer becomes a new object and the old one is disposed, so a reference captured before the
/// move throws "Tensor invalid" when used, loudly and deterministically (on a GPU the same stale reference
/// raises a device mismatch, or silently updates a CPU copy). After the step, every tensor the step keeps
/// is audited: it must be float64 and, where it must be the model's, the very object the model now holds.
/// Why not the other two ways: libtorch 2.10's meta device has no convolution, stft or item() (measured:
/// "convolution_overrideable not implemented", "_fft_r2c … no Meta kernel", "Cannot copy out of meta
/// tensor"), so no step can run there; and dtype mixing alone is no detector, since float32 ⊕ float64
/// promotes silently (and a float32/float64 matmul aborts the process inside TorchSharp instead of raising).
/// What a dtype move cannot see is a tensor created inside the step on the default device without
/// <c>device:</c>; the step code was reviewed for those (every factory call passes the input's device).
/// </summary>
public class MovedModelTests
{
    private const ScalarType Moved = ScalarType.Float64;

    public static TheoryData<string, string[]> Cases() => new()
    {
        { "shared", new[] { "model.shared=true" } },
        { "dw", new[] { "model.shared=false" } },
        { "da", new[] { "model.shared=false", "model.branch_b.encoder=resnet34", "model.branch_b.base_width=4", "model.branch_b.expander=16-16" } },
        { "byol", new[] { "method.name=byol", "model.branch_a.predictor=16-16", "method.tau=0.9" } },
        { "simsiam", new[] { "method.name=simsiam", "model.branch_a.predictor=8-16" } },
        { "barlow-twins", new[] { "method.name=barlow-twins" } },
        { "simclr", new[] { "method.name=simclr", "method.var_coeff=1", "method.cov_coeff=0.01" } },
        { "wave-spec", WaveSpec },
        { "data-parallel", new[] { "model.shared=false", "parallel.devices=[\"cpu\",\"cpu\"]" } },
        { "data-parallel-wave-spec", WaveSpec.Concat(new[] { "parallel.devices=[\"cpu\",\"cpu\"]" }).ToArray() },
    };

    private static readonly string[] WaveSpec =
    {
        "data.kind=synthetic-audio", "data.audio.sample_rate=8000", "data.audio.synthetic.root=unused-audio",
        "model.shared=false", "model.branch_a.encoder=resnet1d18", "optim.name=adamw", "optim.base_lr=0.001",
        "model.branch_b.encoder=spectrogram-resnet18", "model.branch_b.base_width=4", "model.branch_b.expander=16-16",
        "model.branch_b.mel.sample_rate=8000", "model.branch_b.mel.n_fft=64", "model.branch_b.mel.win_length=64",
        "model.branch_b.mel.hop_length=32", "model.branch_b.mel.n_mels=8",
    };

    private static ExperimentConfig Config(string name, string[] overrides) => ConfigLoader.Parse("{}", "moved.json", new[]
    {
        $"name={name}", "device=cpu", "seed=1", "data.kind=synthetic-images", "data.synthetic.root=unused", "data.image_size=16",
        "model.branch_a.encoder=resnet18", "model.branch_a.base_width=4",
        "model.branch_a.stem=small", "model.branch_a.expander=16-16", "optim.batch_size=8", "optim.epochs=1", "optim.warmup_epochs=0",
    }.Concat(overrides));

    [Theory]
    [MemberData(nameof(Cases))]
    public void OneStepAfterTheMoveLeavesNothingBehind(string name, string[] overrides)
    {
        using var temp = new TempDir();
        var c = Config(name, overrides.Concat(new[] { $"output.runs_dir={temp.Path.Replace("\\", "/")}" }).ToArray());
        var devices = ExecutionSetup.Devices(c);
        manual_seed(c.Seed);
        using var model = ModelFactory.Build(c.Model, c.Method);
        var beforeMove = model.parameters().Cast<Tensor>().Concat(model.buffers()).ToArray();
        model.to(devices[0], Moved); // PretrainJob's order: build, then move, then optimizer and executor
        Assert.All(beforeMove, t => Assert.True(t.IsInvalid, "the move should replace (and dispose) every parameter and buffer, as a device move does"));

        using var optimizer = OptimizerSetup.Create(c.Optim, model);
        var method = MethodCatalog.Create(c);
        using var executor = ExecutionSetup.Create(c, model, method, devices);
        // Before the step: what it will touch is where the model is (a float32 filterbank would abort the process in matmul).
        Assert.Empty(PlacementAudit.Problems(model, optimizer, executor, devices[0], Moved));
        var start = Snapshot(model);
        var norms = model.modules().OfType<StableBatchNorm>().ToArray();
        var tracked = norms.Select(n => n.num_batches_tracked!.item<long>()).ToArray();
        var schedule = new LrSchedule(c.Optim.BaseLr, c.Optim.BatchSize, 1, 0, 1, ScaleWithBatch: false);
        var parts = new TrainerParts(model, method, optimizer, schedule, devices[0], RunFolder.For(c.Output.RunsDir, c.Name), c.Seed, "moved",
            Executor: executor);

        long steps = new Trainer(parts).Fit(new OneBatch(model.A.InputForm, model.B.InputForm, c.Optim.BatchSize));

        Assert.Equal(1, steps);
        Assert.Empty(PlacementAudit.Problems(model, optimizer, executor, devices[0], Moved));
        Assert.Contains(optimizer.State, s => s.abs().max().item<double>() > 0); // the optimizer's state is the one it stepped with
        var trainable = model.parameters().Where(p => p.requires_grad).Cast<Tensor>().ToArray();
        var after = Snapshot(model);
        Assert.True(trainable.Length > 0);
        foreach (var p in trainable.Where(p => p.grad is not null))
        {
            AllMoved("gradient", new[] { p.grad! });
            Assert.Equal(Moved, p.grad!.dtype);
        }
        Assert.Contains(model.named_parameters(), x => x.parameter.requires_grad && !after[x.name].equal(start[x.name]).all().item<bool>());
        // BatchNorm: running statistics of the current buffers moved, and every layer counted the batch.
        Assert.Contains(model.named_buffers(), x => x.name.EndsWith("running_mean") && !after[x.name].equal(start[x.name]).all().item<bool>());
        Assert.All(norms.Zip(tracked), x => Assert.True(x.First.num_batches_tracked!.item<long>() > x.Second));
        if (model.Target is not null) TargetFollowedTheOnlineNetwork(model, (ByolMethod)method, start, schedule.TotalSteps);
        if (executor is DataParallelExecutor dp)
            for (int r = 1; r < dp.Replicas; r++)
            {
                var replica = dp.Replica(r);
                dp.Broadcast();
                Assert.All(replica.parameters().Zip(model.parameters()), x => Assert.True(x.First.equal(x.Second).all().item<bool>()));
            }
    }

    [Fact]
    public void ByolTargetFollowsTheOnlineNetworkAfterTheMove()
    {
        var c = Config("byol", new[] { "method.name=byol", "model.branch_a.predictor=16-16", "method.tau=0.9" });
        manual_seed(c.Seed);
        using var model = ModelFactory.Build(c.Model, c.Method);
        model.to(CPU, Moved);
        var method = (ByolMethod)MethodCatalog.Create(c);
        using (no_grad())
            foreach (var (online, _) in model.TargetPairs) online.add_(ones_like(online), Scalars.One); // the online network moved on
        var start = Snapshot(model);
        method.AfterOptimizerStep(model, 0, 10);
        TargetFollowedTheOnlineNetwork(model, method, start, 10);
    }

    /// <summary>target = τ·target₀ + (1 − τ)·online, on the parameters the model holds now.</summary>
    private static void TargetFollowedTheOnlineNetwork(JointEmbedding model, ByolMethod method, Dictionary<string, Tensor> start, long totalSteps)
    {
        double tau = method.TauAt(0, totalSteps);
        var pairs = model.TargetPairs;
        var targets = model.Target!.named_parameters().Select(x => (Tensor)x.parameter).ToArray();
        Assert.Equal(targets.Select(t => t.Handle), pairs.Select(p => p.Target.Handle));
        var targetNames = model.named_parameters().Where(x => x.name.StartsWith("target.")).Select(x => x.name).ToArray();
        Assert.Equal(pairs.Count, targetNames.Length);
        foreach (var ((online, target), name) in pairs.Zip(targetNames))
        {
            Assert.Equal(Moved, target.dtype);
            var expected = start[name].mul(tau).add(online, 1 - tau);
            Assert.True(target.allclose(expected, rtol: 1e-9, atol: 1e-12), $"{name} did not follow the online network");
        }
        Assert.Contains(pairs.Zip(targetNames), x => !x.First.Target.equal(start[x.Second]).all().item<bool>());
    }

    private static void AllMoved(string what, IEnumerable<Tensor> tensors)
    {
        foreach (var t in tensors)
        {
            Assert.False(t.IsInvalid, $"a {what} is a disposed tensor (captured before the move)");
            Assert.True(t.dtype == Moved && t.device_type == DeviceType.CPU, $"a {what} was left behind: {t.dtype} on {t.device}");
        }
    }

    private static Dictionary<string, Tensor> Snapshot(JointEmbedding model) =>
        model.named_parameters().Select(x => (x.name, (Tensor)x.parameter)).Concat(model.named_buffers())
            .ToDictionary(x => x.Item1, x => x.Item2.detach().clone());

    /// <summary>One batch of random views in the moved dtype, shaped for each branch's modality.</summary>
    private sealed class OneBatch : IViewPairSource
    {
        private readonly string modalityA, modalityB;
        private readonly int n;

        public OneBatch(string modalityA, string modalityB, int n) => (this.modalityA, this.modalityB, this.n) = (modalityA, modalityB, n);

        public int BatchesPerEpoch => 1;
        public int SkippedFiles => 0;

        public IEnumerable<TwoViewBatch> Epoch(int epoch, int skipBatches = 0)
        {
            manual_seed(7);
            yield return new TwoViewBatch(View(modalityA), View(modalityB), zeros(n, dtype: ScalarType.Int64), Enumerable.Range(0, n).ToArray());
        }

        private Tensor View(string modality) => modality == "image"
            ? randn(new long[] { n, 3, 16, 16 }, dtype: Moved)
            : randn(new long[] { n, 1, 2048 }, dtype: Moved).mul(0.1);
    }
}
