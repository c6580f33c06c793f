using Vicreg.Data.Audio;
using Vicreg.Tests.Data.Audio;
using Vicreg.Training;
using Vicreg.Training.Config;
using Vicreg.Runs;

namespace Vicreg.Tests.Data.Reliability;

/// <summary>An audio pretraining run over a class folder that mixes the bad-audio corpus with good clips: it
/// finishes, skips exactly the unreadable files (one line each, naming the file), decodes the odd but valid
/// layouts, pads the short clip, and probes both branches and their concatenation.</summary>
public class BadAudioCorpusTests
{
    private sealed class Recorder : ITrainingObserver
    {
        public readonly List<string> Lines = new();
        public void Info(string line) { lock (Lines) Lines.Add(line); }
        public void Started(TrainingPlan plan) { }
        public void Step(Vicreg.Training.Runs.StepStats stats) { }
        public void EpochEnded(int epoch, double meanLoss, string checkpoint) { }
    }

    public static readonly string[] Unreadable =
    {
        "zero-byte.wav", "wrong-magic.wav", "text-named-wav.wav", "truncated-header.wav", "no-data-chunk.wav", "unsupported-alaw.wav",
        // Round 2 (make_bad_samples.py): they decode, but their samples are not sound.
        "nan-samples.wav", "inf-samples-float64.wav", "out-of-range-float32.wav", "garbage-float32.wav",
    };

    [Fact]
    public void A_run_over_the_corpus_finishes_and_reports_what_it_skipped()
    {
        using var dir = new TempDir();
        var corpus = Fixtures.PathOf(Path.Combine("bad", "audio"));
        var files = Directory.GetFiles(corpus, "*.wav").Order().ToArray();
        Assert.Equal(22, files.Length);
        foreach (var cls in new[] { "odd", "even" }) Directory.CreateDirectory(dir.Combine("train", cls));
        for (int i = 0; i < files.Length; i++)
            File.Copy(files[i], dir.Combine("train", i % 2 == 0 ? "odd" : "even", Path.GetFileName(files[i])));
        for (int i = 0; i < 8; i++)
            AudioDatasetTests.WriteTone(dir.Combine("train", i % 2 == 0 ? "odd" : "even", $"good{i}.wav"), 300 + 40 * i, 0.6);

        var c = ConfigLoader.Parse("{}", "tiny-audio.json", new[]
        {
            "name=bad-audio", "device=cpu", "seed=1", "data.kind=audio-folder", $"data.train={dir.Combine("train")}", "data.workers=2",
            "data.audio.sample_rate=8000", "data.audio.view_a.crop_seconds=0.25", "data.audio.view_b.crop_seconds=0.25",
            "data.audio.view_a.shift_seconds=0", "data.audio.view_b.shift_seconds=0", "data.audio.eval_seconds=0.25",
            "model.shared=false", "model.branch_a.encoder=resnet1d18", "model.branch_a.base_width=4", "model.branch_a.expander=16-16",
            "model.branch_b.encoder=spectrogram-resnet18", "model.branch_b.base_width=4", "model.branch_b.expander=16-16",
            "model.branch_b.mel.sample_rate=8000", "model.branch_b.mel.n_fft=128", "model.branch_b.mel.win_length=128",
            "model.branch_b.mel.hop_length=64", "model.branch_b.mel.n_mels=16",
            "optim.name=adamw", "optim.base_lr=0.001", "optim.batch_size=6", "optim.epochs=1", "optim.warmup_epochs=0", "optim.scale_lr_with_batch=false",
            "eval.linear_probe=true", "eval.epochs=5", $"output.runs_dir={dir.Combine("runs")}",
        });
        var log = new Recorder();
        var outcome = PretrainJob.Run(c, log);

        Assert.Equal(Unreadable.Length, outcome.SkippedFiles);
        foreach (var name in Unreadable)
            Assert.Single(log.Lines, l => l.StartsWith("skipped ", StringComparison.Ordinal) && l.Contains(name) && l.Contains(": "));
        Assert.DoesNotContain(log.Lines, l => l.Contains("six-channel") || l.Contains("/float64") || l.Contains("pcm8") || l.Contains("loud-float32"));
        Assert.Contains(log.Lines, l => l.Contains("nan-samples.wav") && l.Contains("10 of 4000 samples are not finite"));
        Assert.Contains(log.Lines, l => l.Contains("out-of-range-float32.wav") && l.Contains("beyond ±16"));
        Assert.Contains(log.Lines, l => l.Contains("truncated-data.wav") && l.Contains("truncated"));
        // short.wav (0.05 s) is shorter than the 0.25-s crops: padded, and the run says how often.
        Assert.Contains(log.Lines, l => l.Contains("zero-padded"));
        Assert.True(outcome.StepsTaken >= 1);
        Assert.Equal(new[] { "a-waveform", "b-spectrogram", "concat" },
            outcome.Probes.Select(p => p.Backbone.Replace("pretrained-", "").Split("-step")[0]));
        Assert.All(outcome.Probes, p => Accuracy.IsHitsOutOf(p.Top1, p.Val, p.Backbone));
    }
}
