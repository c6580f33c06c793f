using System.Text.Json;
using Vicreg.Core;
using Vicreg.Losses;
using Vicreg.Tests.Training;
using Vicreg.Training;
using Vicreg.Runs;
using Vicreg.Training.Methods;
using Vicreg.Training.Model;
using Vicreg.Training.Runs;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training.Methods;

/// <summary>SwAV's loss pinned to tests/fixtures/swav.json (bench/reference/make_swav_fixtures.py, PyTorch 1.13,
/// float64 on float32-rounded inputs): value and codes 1e-5 relative, gradients 1e-5 relative to their largest
/// entry, for two views, multi-crop and the queue, and the official queue's state machine over steps; and the
/// method trains with its prototypes and state in the model, prototypes frozen for the first epoch.</summary>
public class SwavTests
{
    static JsonElement Root => Fixtures.Load("swav.json");

    public static IEnumerable<object[]> Cases() => Enumerable.Range(0, Root.GetProperty("swav").GetArrayLength()).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(Cases))]
    public void SwavLossCodesAndGradientsMatchPyTorch(int index)
    {
        var c = Root.GetProperty("swav")[index];
        long n = c.GetProperty("n").GetInt64(), d = c.GetProperty("d").GetInt64(), k = c.GetProperty("k").GetInt64();
        using var scope = NewDisposeScope();
        var z1 = Fixtures.Float32(c.GetProperty("z1"), n, d).requires_grad_();
        var z2 = Fixtures.Float32(c.GetProperty("z2"), n, d).requires_grad_();
        var prototypes = Fixtures.Float32(c.GetProperty("prototypes"), k, d).requires_grad_();
        var swav = new SwavLoss(c.GetProperty("temperature").GetDouble(), c.GetProperty("epsilon").GetDouble(), c.GetProperty("iterations").GetInt32());

        using (no_grad())
        {
            Close.Array(Fixtures.Doubles(c.GetProperty("codes1")), swav.Codes(CosineLosses.Normalize(z1).matmul(prototypes.t())), 1e-5, $"swav #{index} codes of view 1");
            Close.Array(Fixtures.Doubles(c.GetProperty("codes2")), swav.Codes(CosineLosses.Normalize(z2).matmul(prototypes.t())), 1e-5, $"swav #{index} codes of view 2");
        }
        var loss = swav.Compute(z1, z2, prototypes).Total;
        Close.Scalar(c.GetProperty("loss").GetDouble(), loss.item<float>(), 1e-5, $"swav #{index} loss");
        loss.backward();
        Close.Array(Fixtures.Doubles(c.GetProperty("grad_z1")), z1.grad!, 1e-5, $"swav #{index} d/dz1");
        Close.Array(Fixtures.Doubles(c.GetProperty("grad_z2")), z2.grad!, 1e-5, $"swav #{index} d/dz2");
        Close.Array(Fixtures.Doubles(c.GetProperty("grad_prototypes")), prototypes.grad!, 1e-5, $"swav #{index} d/dprototypes");
    }

    public static IEnumerable<object[]> MultiCropCases() => Enumerable.Range(0, Root.GetProperty("swav_multicrop").GetArrayLength()).Select(i => new object[] { "swav_multicrop", i })
        .Concat(Enumerable.Range(0, Root.GetProperty("swav_queue").GetArrayLength()).Select(i => new object[] { "swav_queue", i }));

    [Theory]
    [MemberData(nameof(MultiCropCases))]
    public void MultiCropAndQueueLossCodesAndGradientsMatchPyTorch(string set, int index)
    {
        var c = Root.GetProperty(set)[index];
        long n = c.GetProperty("n").GetInt64(), d = c.GetProperty("d").GetInt64(), k = c.GetProperty("k").GetInt64();
        double temperature = c.TryGetProperty("temperature", out var t) ? t.GetDouble() : 0.1;
        double epsilon = c.TryGetProperty("epsilon", out var e) ? e.GetDouble() : 0.05;
        int iterations = c.TryGetProperty("iterations", out var it) ? it.GetInt32() : 3;
        using var scope = NewDisposeScope();
        var views = c.GetProperty("views").EnumerateArray().Select(v => Fixtures.Float32(v, n, d).requires_grad_()).ToArray();
        var prototypes = Fixtures.Float32(c.GetProperty("prototypes"), k, d).requires_grad_();
        Tensor[]? queues = c.TryGetProperty("queues", out var q)
            ? q.EnumerateArray().Select(v => Fixtures.Float32(v, c.GetProperty("length").GetInt64(), d)).ToArray() : null;
        var swav = new SwavLoss(temperature, epsilon, iterations);
        Assert.Equal(2 + c.GetProperty("locals").GetInt32(), views.Length);

        using (no_grad())
            for (int i = 0; i < 2; i++)
            {
                var scores = CosineLosses.Normalize(views[i]).matmul(prototypes.t());
                var codes = queues is null ? swav.Codes(scores) : swav.Codes(scores, SwavLoss.QueueScores(queues[i], prototypes));
                Close.Array(Fixtures.Doubles(c.GetProperty("codes")[i]), codes, 1e-5, $"{set} #{index} codes of global view {i}");
            }
        var loss = swav.Compute(views.Take(2).ToArray(), views.Skip(2).ToArray(), prototypes, queues).Total;
        Close.Scalar(c.GetProperty("loss").GetDouble(), loss.item<float>(), 1e-5, $"{set} #{index} loss");
        loss.backward();
        for (int v = 0; v < views.Length; v++)
            Close.Array(Fixtures.Doubles(c.GetProperty("grad_views")[v]), views[v].grad!, 1e-5, $"{set} #{index} d/dview{v}");
        Close.Array(Fixtures.Doubles(c.GetProperty("grad_prototypes")), prototypes.grad!, 1e-5, $"{set} #{index} d/dprototypes");
    }

    [Fact]
    public void TheQueueFillsAndIsUsedOnceFullAsTheOfficialCodeDoes()
    {
        var c = Root.GetProperty("swav_queue_sequence");
        long n = c.GetProperty("n").GetInt64(), d = c.GetProperty("d").GetInt64(), k = c.GetProperty("k").GetInt64();
        int length = c.GetProperty("length").GetInt32();
        using var scope = NewDisposeScope();
        var prototypes = Fixtures.Float32(c.GetProperty("prototypes"), k, d);
        using var state = new SwavState(length, d);
        var method = new SwavMethod(schedule: new SwavSchedule(QueueStartEpoch: 0, FreezePrototypesEpochs: 0, Epochs: 1));
        int step = 0;
        foreach (var row in c.GetProperty("steps").EnumerateArray())
        {
            var z = row.GetProperty("views").EnumerateArray().Select(v => Fixtures.Float32(v, n, d)).ToArray();
            Assert.Equal(row.GetProperty("queue_used").GetBoolean(), state.QueueFull);
            var loss = method.Swapped(z, Array.Empty<Tensor>(), prototypes, state).Total;
            Close.Scalar(row.GetProperty("loss").GetDouble(), loss.item<float>(), 1e-5, $"queue sequence step {step} loss");
            state.StepTaken(step++, 10, 1);
        }
        Assert.Equal(length, state.Queued);
        // The newest batch is at the front of each view's queue, ℓ2-normalised.
        var last = c.GetProperty("steps")[step - 1].GetProperty("views");
        Close.Array(Fixtures.Doubles(last[1]).Chunk((int)d).SelectMany(r => { double norm = Math.Sqrt(r.Sum(x => x * x)); return r.Select(x => x / norm); }).ToArray(),
            state.Queue.select(0, 1).narrow(0, 0, n), 1e-6, "queue front of global view 1");
    }

    [Fact]
    public void ThePrototypesAreFrozenForTheFirstEpochAndTheStateIsCheckpointed()
    {
        using var tiny = new TinyExperiment();
        var c = tiny.Config("swav-freeze", "optim.epochs=2", "optim.name=adamw", "optim.base_lr=0.001", "optim.scale_lr_with_batch=false",
            "eval.diagnostics=false", "output.tensorboard=false", "output.plots=false", "output.keep_checkpoints=3",
            "model.branch_a.base_width=8", "method.name=swav", "method.prototypes=6", "method.queue_length=8", "method.queue_start_epoch=1");
        var outcome = PretrainJob.Run(c, NullObserver.Instance);
        Assert.Equal(8, StatsLog.Read(outcome.Run.StatsPath).Count);

        manual_seed(c.Seed); // the run's initial weights
        using var initial = ModelFactory.Build(c.Model, c.Method);
        var w0 = CosineLosses.Normalize(Weight(initial));
        using var afterEpoch1 = Load(c, outcome.Run, 4);
        using var afterEpoch2 = Load(c, outcome.Run, 8);
        // Frozen: only renormalised (an ulp or so); then trained.
        Assert.True(Weight(afterEpoch1).sub(w0).abs().max().item<float>() < 1e-6f);
        Assert.True(Weight(afterEpoch2).sub(Weight(afterEpoch1)).abs().max().item<float>() > 1e-4f);

        var s1 = State(afterEpoch1);
        Assert.Equal((4L, 4L, 0L), (s1.StepsTaken, s1.StepsPerEpoch, s1.Queued));
        Assert.Equal(0f, s1.Queue.abs().max().item<float>()); // the queue starts at epoch 1
        var s2 = State(afterEpoch2);
        Assert.Equal((8L, 4L, 8L), (s2.StepsTaken, s2.StepsPerEpoch, s2.Queued));
        Assert.True(s2.Queue.norm(2).sub(Scalars.One).abs().max().item<float>() < 1e-5f); // full of unit embeddings

        static Tensor Weight(JointEmbedding m) => ((TorchSharp.Modules.Linear)m.MethodModule(SwavMethod.PrototypesModule)!).weight!;
        static SwavState State(JointEmbedding m) => (SwavState)m.MethodModule(SwavMethod.StateModule)!;
        static JointEmbedding Load(Vicreg.Training.Config.ExperimentConfig c, RunFolder run, int step)
        {
            var m = ModelFactory.Build(c.Model, c.Method);
            m.load(Path.Combine(run.CheckpointsDir, $"step-{step:D9}", "model.bin"));
            return m;
        }
    }

    [Fact]
    public void TheStepCountersAreInTheStateDictButNotABufferThatMovesWithTheModel()
    {
        var c = Vicreg.Training.Config.ConfigLoader.Parse("{}", "s.json", new[] { "data.kind=synthetic-images", "model.branch_a.encoder=resnet18",
            "model.branch_a.base_width=8", "model.branch_a.expander=16-16", "method.name=swav", "method.prototypes=4", "optim.batch_size=8", "method.queue_length=16" });
        using var model = ModelFactory.Build(c.Model, c.Method);
        var state = (SwavState)model.MethodModule(SwavMethod.StateModule)!;
        Assert.Equal(new[] { "queue" }, state.named_buffers().Select(b => b.name));
        Assert.Equal(new long[] { 2, 16, 16 }, state.Queue.shape);
        state.StepTaken(3, 40, 2);
        var saved = model.state_dict();
        Assert.Equal(new long[] { 4, 20, 0 }, saved["swav.progress"].data<long>().ToArray()); // the counters themselves, not a copy
        Assert.Equal(TorchSharp.DeviceType.CPU, saved["swav.progress"].device_type);
        Assert.Contains("swav.queue", saved.Keys);
    }

    [Fact]
    public void SwavTrainsWithItsPrototypesInTheCheckpoint()
    {
        using var tiny = new TinyExperiment();
        var c = tiny.Config("swav", "optim.epochs=1", "optim.name=adamw", "optim.base_lr=0.001", "optim.scale_lr_with_batch=false",
            "eval.diagnostics=false", "output.tensorboard=false", "output.plots=false", "model.branch_a.base_width=8",
            "method.name=swav", "method.prototypes=6", "method.freeze_prototypes_epochs=0");
        var outcome = PretrainJob.Run(c, NullObserver.Instance);
        var rows = StatsLog.Read(outcome.Run.StatsPath);
        Assert.Equal(4, rows.Count);
        Assert.Equal(new[] { "swapped_prediction" }, rows[0].Terms.Select(t => t.Name));
        Assert.All(rows, r => Assert.True(double.IsFinite(r.Loss) && r.Loss == r.Term("swapped_prediction")));

        manual_seed(99);
        using var restored = ModelFactory.Build(c.Model, c.Method);
        Assert.Contains("prototypes.weight", restored.state_dict().Keys);
        var before = ((TorchSharp.Modules.Linear)restored.MethodModule(SwavMethod.PrototypesModule)!).weight!.clone();
        Assert.NotNull(Checkpoints.TryRestoreLatest(outcome.Run, restored));
        var trained = ((TorchSharp.Modules.Linear)restored.MethodModule(SwavMethod.PrototypesModule)!).weight!;
        Assert.Equal(new long[] { 6, 32 }, trained.shape);
        Assert.False(trained.allclose(before));
        // Renormalised before each step, then moved by one small step: rows close to unit norm.
        Assert.True(trained.norm(1).sub(Scalars.One).abs().max().item<float>() < 0.05f);
    }

    [Fact]
    public void SwavRefusesDataParallelismAndBadSettings()
    {
        string[] Base(params string[] sets) => new[] { "data.kind=synthetic-images", "model.branch_a.encoder=resnet18", "model.branch_a.expander=16-16", "method.name=swav" }.Concat(sets).ToArray();
        Assert.Equal("parallel.devices", Assert.Throws<Vicreg.Training.Config.ConfigException>(() =>
            Vicreg.Training.Config.ConfigLoader.Parse("{}", "s.json", Base("parallel.devices=[\"cpu\",\"cpu\"]"))).Field);
        Assert.Equal("method.epsilon", Assert.Throws<Vicreg.Training.Config.ConfigException>(() =>
            Vicreg.Training.Config.ConfigLoader.Parse("{}", "s.json", Base("method.epsilon=0"))).Field);
        Assert.Equal("method.prototypes", Assert.Throws<Vicreg.Training.Config.ConfigException>(() =>
            Vicreg.Training.Config.ConfigLoader.Parse("{}", "s.json", Base("method.prototypes=0"))).Field);
        var queue = Assert.Throws<Vicreg.Training.Config.ConfigException>(() =>
            Vicreg.Training.Config.ConfigLoader.Parse("{}", "s.json", Base("optim.batch_size=256", "method.queue_length=3900")));
        Assert.Equal("method.queue_length", queue.Field);
        Assert.Contains("use 3840 or 4096", queue.Message);
        Assert.Equal("method.queue_start_epoch", Assert.Throws<Vicreg.Training.Config.ConfigException>(() =>
            Vicreg.Training.Config.ConfigLoader.Parse("{}", "s.json", Base("method.queue_start_epoch=-1"))).Field);
        Assert.Equal("method.freeze_prototypes_epochs", Assert.Throws<Vicreg.Training.Config.ConfigException>(() =>
            Vicreg.Training.Config.ConfigLoader.Parse("{}", "s.json", Base("method.freeze_prototypes_epochs=-1"))).Field);
    }
}
