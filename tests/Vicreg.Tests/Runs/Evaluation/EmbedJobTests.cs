using Vicreg.Cli;
using Vicreg.Runs;
using Vicreg.Runs.Evaluation;
using Vicreg.Training;
using Vicreg.Training.Config;
using Vicreg.Training.Evaluation;
using Vicreg.Training.Interop;
using Vicreg.Training.Runs;
using Vicreg.Training.Sources;

namespace Vicreg.Tests.Runs.Evaluation;

/// <summary>A tiny run of the audio quickstart (2 classes of generated sounds, base width 8, one epoch), probed once by
/// vicreg linear-eval so that its feature cache exists.</summary>
public sealed class TinyAudioRun : IDisposable
{
    private readonly TempDir temp = new();

    public TinyAudioRun()
    {
        string Slash(string p) => p.Replace("\\", "/");
        var overrides = new[]
        {
            "device=cpu", "data.workers=1", $"data.audio.synthetic.root={Slash(temp.Combine("sounds"))}",
            "data.audio.synthetic.classes=2", "data.audio.synthetic.train_per_class=8", "data.audio.synthetic.val_per_class=4",
            "model.branch_a.base_width=8", "model.branch_b.base_width=8", "model.branch_a.expander=16-16", "model.branch_b.expander=16-16",
            "optim.batch_size=8", "optim.epochs=1", "eval.linear_probe=false", "eval.compare_random_init=false", "eval.epochs=2",
            "eval.diagnostics=false", "output.tensorboard=false", "output.plots=false", $"output.runs_dir={Slash(temp.Combine("runs"))}",
        };
        Config = ConfigLoader.LoadFile(RepoFiles.PathOf("experiments/audio/quickstart.json"), overrides);
        Run = PretrainJob.Run(Config, new Quiet()).Run;
        if (App.Run(new[] { "linear-eval", "--run", Run.Root }) != 0) throw new InvalidOperationException("vicreg linear-eval failed on the tiny run");
    }

    public ExperimentConfig Config { get; }
    public RunFolder Run { get; }
    public string HeldOut => Path.Combine(Config.Data.Audio.Synthetic.Root, "val");
    public string Combine(string name) => temp.Combine(name);

    public void Dispose() => temp.Dispose();

    private sealed class Quiet : ITrainingObserver
    {
        public void Started(TrainingPlan plan) { }
        public void Step(StepStats stats) { }
        public void EpochEnded(int epoch, double meanLoss, string checkpoint) { }
        public void Info(string line) { }
    }
}

/// <summary>vicreg embed on a tiny run of the audio quickstart: on the held-out sounds it writes exactly the features the
/// linear probe used (vicreg linear-eval's cache), for both branches; a broken file is skipped, named and counted.</summary>
public sealed class EmbedJobTests(TinyAudioRun tiny) : IClassFixture<TinyAudioRun>
{
    [Fact]
    public void Embed_gives_the_held_out_features_the_linear_probe_used_and_skips_a_broken_file()
    {
        var c = tiny.Config;
        string run = tiny.Run.Root, held = tiny.HeldOut;
        foreach (var (branch, modality) in new[] { ("a", "waveform"), ("b", "spectrogram") })
        {
            string outDir = tiny.Combine("embed-" + branch);
            Assert.Equal(0, App.Run(new[] { "embed", "--run", run, "--branch", branch, "--data", held, "--out", outDir }));
            var (values, shape) = NpyFile.ReadFloat32(Path.Combine(outDir, EmbedJob.EmbeddingsFile));
            var cache = Directory.GetFiles(tiny.Run.EvalDir, $"features-pretrained-{branch}-{modality}-step*-val.bin").Single();
            using var probe = FeatureSet.Load(cache);
            Assert.Equal(new long[] { probe.Count, probe.Dim }, shape);
            var expected = probe.Features.contiguous().data<float>().ToArray();
            double worst = expected.Zip(values, (e, v) => (double)Math.Abs(e - v)).Max();
            Assert.True(worst <= 1e-6, $"branch {branch}: embed differs from the probe's features by {worst:E2}");
            Assert.True(expected.Any(v => v != 0), "the probe's features are all zeros: the comparison would prove nothing");

            // index.csv: the held-out files in the probe's row order, with their class names.
            var index = File.ReadAllLines(Path.Combine(outDir, EmbedJob.IndexFile));
            Assert.Equal("file,label,row", index[0]);
            var heldSamples = Vicreg.Data.ClassFolders.Scan(held, "Audio", new[] { ".wav" });
            Assert.Equal(probe.Rows!.Select(r => heldSamples[(int)r].Path), index.Skip(1).Select(l => l.Split(',')[0]));
            Assert.Equal(probe.Rows!.Select(r => heldSamples.Classes[heldSamples[(int)r].Label]), index.Skip(1).Select(l => l.Split(',')[1]));
        }

        // A flat folder of sounds, one of them broken: skipped with one line naming it, counted, the rest embedded.
        string flat = tiny.Combine("flat");
        Directory.CreateDirectory(flat);
        var sounds = Directory.GetFiles(held, "*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(3).ToArray();
        for (int i = 0; i < sounds.Length; i++) File.Copy(sounds[i], Path.Combine(flat, $"{i}.wav"));
        File.WriteAllBytes(Path.Combine(flat, "1.wav"), new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F' });
        var lines = new List<string>();
        using var loaded = EvaluationModel.Load(c, tiny.Run, TorchSharp.torch.CPU, null, _ => { });
        var result = EmbedJob.Run(c, loaded.Model.A, BranchSide.A, flat, tiny.Combine("embed-flat"), false, TorchSharp.torch.CPU, l => { lock (lines) lines.Add(l); });
        Assert.Equal((2, 3, 1), (result.Rows, result.Listed, result.Skipped));
        Assert.Single(lines, l => l.StartsWith($"skipped {Path.Combine(flat, "1.wav")}", StringComparison.Ordinal));
        var flatIndex = File.ReadAllLines(result.IndexPath);
        Assert.Equal(new[] { "file,label,row", $"{Path.Combine(flat, "0.wav")},,0", $"{Path.Combine(flat, "2.wav")},,1" }, flatIndex);
    }

    /// <summary>vicreg export --format onnx --with-expander on the trained run: ONNX Runtime, fed the raw held-out samples,
    /// gives vicreg embed's representations and embeddings (--expander) within 1e-4 relative.</summary>
    [Fact]
    public void The_exported_spectrogram_branch_fed_raw_samples_gives_what_embed_writes()
    {
        string onnx = tiny.Combine("audio.onnx");
        Assert.Equal(0, App.Run(new[] { "export", "--run", tiny.Run.Root, "--branch", "b", "--format", "onnx", "--with-expander", "--out", onnx }));
        string reps = tiny.Combine("export-reps"), embs = tiny.Combine("export-embs");
        Assert.Equal(0, App.Run(new[] { "embed", "--run", tiny.Run.Root, "--branch", "b", "--data", tiny.HeldOut, "--out", reps }));
        Assert.Equal(0, App.Run(new[] { "embed", "--run", tiny.Run.Root, "--branch", "b", "--data", tiny.HeldOut, "--out", embs, "--expander" }));

        var recipe = ModalityCatalog.RecipeFor(tiny.Config, BranchSide.B);
        var samples = EmbedJob.List(tiny.HeldOut, "audio", _ => { });
        using var readers = new SampleReaders(tiny.Config.Data, _ => { });
        var reader = readers.For("audio", samples.Samples);
        int per = (int)recipe.EvalShape[^1];
        var views = new float[samples.Count * per];
        for (int i = 0; i < samples.Count; i++)
        {
            using var sample = reader.TryDecode(i)!;
            recipe.CentreEval(sample, views.AsSpan(i * per, per));
        }
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(onnx);
        Assert.Equal("8000", session.ModelMetadata.CustomMetadataMap["sample_rate"]);
        var input = new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>(views, new[] { samples.Count, 1, per });
        using var results = session.Run(new[] { Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor("waveform", input) });
        foreach (var (output, folder) in new[] { ("representation", reps), ("embedding", embs) })
        {
            var actual = results.Single(r => r.Name == output).AsEnumerable<float>().ToArray();
            var (expected, shape) = NpyFile.ReadFloat32(Path.Combine(folder, EmbedJob.EmbeddingsFile));
            Assert.Equal(samples.Count, shape[0]);
            double scale = expected.Max(v => Math.Abs(v)), worst = expected.Zip(actual, (e, a) => (double)Math.Abs(e - a)).Max();
            Assert.True(scale > 0 && worst / scale <= 1e-4, $"{output}: ONNX Runtime differs from vicreg embed by {worst / scale:E2} relative");
        }
    }
}
