using Vicreg.Runs;
using Vicreg.Training;
using Vicreg.Training.Evaluation;
using Vicreg.Training.Model;
using Vicreg.Training.Runs;
using Vicreg.Training.Sources;

namespace Vicreg.Tests.Training;

/// <summary>A tiny image–sound pretraining run end to end: broken pairs skipped and counted, probes of both branches
/// and their concatenation, retrieval at the end (pretrained and random init) and online every epoch.</summary>
public class PairedRunTests
{
    [Fact]
    public void A_paired_run_skips_broken_pairs_probes_both_branches_and_reports_retrieval()
    {
        using var tiny = new TinyExperiment();
        var c = tiny.PairedConfig("paired", "eval.linear_probe=true", "eval.compare_random_init=true", "eval.epochs=5",
            "eval.retrieval=true", "eval.retrieval_every=1", "output.plots=false");
        var splits = DatasetCatalog.Prepare(new DataRequest(c.Data, c.Seed, _ => { }));
        string brokenImage = splits.Train[1].FileFor("image"), missingSound = splits.Train[20].FileFor("audio");
        File.WriteAllBytes(brokenImage, new byte[] { 0x89, 0x50, 0x4E, 0x47 }); // a truncated PNG
        File.Delete(missingSound);

        var observer = new Lines();
        var outcome = PretrainJob.Run(c, observer);

        Assert.Equal(2, outcome.SkippedPairs);
        Assert.Single(observer.All, l => l.StartsWith($"skipped pair {brokenImage} + {splits.Train[1].FileFor("audio")}: ", StringComparison.Ordinal));
        Assert.Single(observer.All, l => l.StartsWith($"skipped pair {splits.Train[20].FileFor("image")} + {missingSound}: ", StringComparison.Ordinal));
        Assert.Contains(observer.All, l => l.Contains("2 pair(s) left out whole"));

        Assert.Equal(new[] { "pretrained-a-image-step12", "pretrained-b-waveform-step12", "pretrained-concat-step12", "random-init-a-image", "random-init-b-waveform", "random-init-concat" },
            outcome.Probes.Select(p => p.Backbone));
        // 32 training pairs: the image probe loses the broken image, the audio probe the missing sound, the concatenation both.
        Assert.Equal(new[] { 31, 31, 30 }, outcome.Probes.Take(3).Select(p => p.Train));
        Assert.All(outcome.Probes, p => Assert.Equal(8, p.Val));

        var retrieval = outcome.Retrieval!;
        Assert.Equal(new[] { ("pretrained-step12", "image->audio"), ("pretrained-step12", "audio->image"), ("random-init", "image->audio"), ("random-init", "audio->image") },
            retrieval.Select(r => (r.Model, r.Direction)));
        Assert.All(retrieval, r => Assert.Equal((8, 12.5, 4.5), (r.Pairs, r.ChanceR1, r.ChanceMedianRank)));
        Assert.All(retrieval, r => Accuracy.IsHitsOutOf(r.R1, r.Pairs, $"{r.Model} {r.Direction} R@1"));
        var csv = File.ReadAllLines(Path.Combine(outcome.Run.EvalDir, "retrieval.csv"));
        Assert.Equal(5, csv.Length);
        Assert.StartsWith("Model,Direction,Pairs,R1,R5,R10,MedianRank", csv[0]);

        var online = File.ReadAllLines(RetrievalHook.RetrievalPath(outcome.Run));
        Assert.Equal(RetrievalHook.Header, online[0]);
        Assert.Equal(new[] { "0", "0", "1", "1", "2", "2" }, online.Skip(1).Select(l => l.Split(',')[0]));
        Assert.Contains(observer.All, l => l.StartsWith("retrieval after epoch 3 on 8 held-out pairs: image → audio R@1", StringComparison.Ordinal));
    }

    [Fact]
    public void A_video_frames_run_trains_evaluates_and_counts_the_clip_folders_it_left_out()
    {
        using var tiny = new TinyExperiment();
        string clips = Path.Combine(tiny.Root, "clips");
        foreach (var cls in new[] { "bird", "car" })
            for (int i = 0; i < 10; i++)
                Vicreg.Tests.Data.Paired.VideoClipFolders.Write(Path.Combine(clips, cls, $"clip{i}"), frames: 5, seconds: 2.5);
        string mute = Vicreg.Tests.Data.Paired.VideoClipFolders.Write(Path.Combine(clips, "car", "mute"), frames: 5, seconds: 2.5, audio: false);
        var c = tiny.PairedConfig("frames", "data.kind=video-frames", $"data.paired.frames.root={clips.Replace("\\", "/")}", "data.paired.frames.fps=2",
            "eval.linear_probe=true", "eval.compare_random_init=false", "eval.epochs=3", "eval.retrieval=true", "output.plots=false");

        var observer = new Lines();
        var outcome = PretrainJob.Run(c, observer);

        Assert.Contains($"skipped clip {mute}: no audio.wav", observer.All);
        Assert.Contains(observer.All, l => l.StartsWith($"{clips}: 20 clips in 2 classes, 100 frames at 2/s; 1 clip folder(s) left out", StringComparison.Ordinal));
        Assert.Equal(1, outcome.SkippedPairs);
        // Every 5th clip of each class is held out: 16 to train on (2 batches of 8 per epoch), 4 held out.
        Assert.Equal((6L, 6L), (outcome.StepsTaken, outcome.TotalSteps));
        Assert.Equal(new[] { "pretrained-a-image-step6", "pretrained-b-waveform-step6", "pretrained-concat-step6" }, outcome.Probes.Select(p => p.Backbone));
        Assert.All(outcome.Probes, p => Assert.Equal((16, 4), (p.Train, p.Val)));
        Assert.All(outcome.Retrieval!, r => Assert.Equal(4, r.Pairs));
    }

    [Fact]
    public void Waveform_and_spectrogram_branches_name_their_retrieval_directions_by_encoder()
    {
        var c = Vicreg.Training.Config.ConfigLoader.Parse("{}", "t.json", new[]
        {
            "data.kind=synthetic-audio", "model.shared=false", "model.branch_a.encoder=resnet1d18", "model.branch_a.base_width=8",
            "model.branch_b.encoder=spectrogram-resnet18", "model.branch_b.base_width=8", "model.branch_a.expander=16-16", "model.branch_b.expander=16-16",
        });
        using var model = ModelFactory.Build(c.Model);
        Assert.Equal(new RetrievalNames("waveform", "spectrogram"), RetrievalNames.Of(c, model));
    }

    private sealed class Lines : ITrainingObserver
    {
        public List<string> All { get; } = new();
        public void Started(TrainingPlan plan) { }
        public void Step(StepStats stats) { }
        public void EpochEnded(int epoch, double meanLoss, string checkpoint) { }
        public void Info(string line) { lock (All) All.Add(line); }
    }
}
