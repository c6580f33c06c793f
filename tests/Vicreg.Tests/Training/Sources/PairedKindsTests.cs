using Vicreg.Training.Config;
using Vicreg.Training.Sources;

namespace Vicreg.Tests.Training.Sources;

/// <summary>The paired kinds in configs: branches of two modalities, and shared weights refused across them.</summary>
public class PairedKindsTests
{
    private static ExperimentConfig Parse(params string[] overrides) => ConfigLoader.Parse("{}", "t.json", overrides);

    private static readonly string[] ImageAudio =
    {
        "data.kind=synthetic-paired", "model.shared=false", "model.branch_a.encoder=resnet18", "model.branch_b.encoder=resnet1d18",
    };

    [Fact]
    public void An_image_branch_and_an_audio_branch_validate_on_paired_data()
    {
        var c = Parse(ImageAudio);
        Assert.Equal(new[] { "image", "audio" }, DatasetCatalog.Get(c.Data.Kind).Modalities);
    }

    [Fact]
    public void Shared_weights_across_two_modalities_are_refused_naming_model_shared()
    {
        var e = Assert.Throws<ConfigException>(() => Parse("data.kind=synthetic-paired", "model.branch_a.encoder=resnet18"));
        Assert.Contains("model.shared", e.Message);
        Assert.Contains("set shared to false", e.Message);
        Assert.Single(e.Message.Split('\n'));
    }

    [Fact]
    public void Shared_with_a_branch_b_of_another_modality_is_refused_on_model_shared_for_any_pairing()
    {
        // Waveforms and images: a generic rule, not one for paired kinds only.
        var e = Assert.Throws<ConfigException>(() => Parse(
            "data.kind=synthetic-paired", "model.shared=true", "model.branch_a.encoder=resnet18", "model.branch_b.encoder=resnet1d18"));
        Assert.Contains("model.shared", e.Message);
        Assert.Contains("different modalities", e.Message);
    }

    [Fact]
    public void Retrieval_needs_unshared_branches()
    {
        var e = Assert.Throws<ConfigException>(() => Parse("data.kind=synthetic-images", "eval.retrieval_every=2"));
        Assert.Contains("eval.retrieval_every", e.Message);
    }

    [Fact]
    public void The_paired_section_stays_out_of_config_json_and_so_of_the_training_hash_while_unset()
    {
        Assert.DoesNotContain("\"paired\"", ConfigLoader.Serialize(Parse("data.kind=synthetic-images")));
        Assert.Contains("\"paired\"", ConfigLoader.Serialize(Parse(ImageAudio.Append("data.paired.synthetic.classes=3").ToArray())));
    }

    [Fact]
    public void The_audio_image_quickstart_pairs_an_image_resnet_with_a_spectrogram_resnet()
    {
        var c = ConfigLoader.LoadFile(RepoFiles.PathOf("experiments/audio-image/quickstart.json"));
        Assert.Equal("synthetic-paired", c.Data.Kind);
        Assert.False(c.Model.Shared);
        Assert.Equal(("image", "audio"), (ModalityCatalog.Of(c.Model.BranchA), ModalityCatalog.Of(c.Model.BranchB!)));
        Assert.True(c.Eval.Retrieval && c.Eval.RetrievalEvery > 0 && c.Eval.CompareRandomInit);
    }

    [Fact]
    public void Video_frames_needs_a_root_and_the_frame_rate_each_named_in_one_line()
    {
        var e = Assert.Throws<ConfigException>(() => Parse(ImageAudio.Select(o => o.Replace("synthetic-paired", "video-frames")).ToArray()));
        Assert.Contains("data.paired.frames: is required for kind video-frames", e.Message);
        e = Assert.Throws<ConfigException>(() => Parse(ImageAudio.Select(o => o.Replace("synthetic-paired", "video-frames")).Append("data.paired.frames.root=clips").ToArray()));
        Assert.Contains("data.paired.frames.fps", e.Message);
        Assert.DoesNotContain("data.paired.frames.root", e.Message);
        e = Assert.Throws<ConfigException>(() => Parse(ImageAudio.Select(o => o.Replace("synthetic-paired", "video-frames"))
            .Concat(new[] { "data.paired.frames.root=clips", "data.paired.frames.fps=2", "data.paired.frames.labels_csv=l.csv", "data.paired.frames.val_root=held" }).ToArray()));
        Assert.Contains("data.paired.frames.val_root: is for the class-folder layout", e.Message);
    }

    [Fact]
    public void Video_frames_holds_out_every_fifth_clip_and_counts_the_clip_folders_it_left_out()
    {
        using var dir = new TempDir();
        for (int i = 0; i < 5; i++) Vicreg.Tests.Data.Paired.VideoClipFolders.Write(dir.Combine("bird", $"c{i}"), frames: 2, seconds: 1);
        Vicreg.Tests.Data.Paired.VideoClipFolders.Write(dir.Combine("bird", "mute"), frames: 2, seconds: 1, audio: false);
        var c = Parse(ImageAudio.Select(o => o.Replace("synthetic-paired", "video-frames"))
            .Concat(new[] { $"data.paired.frames.root={dir.Path}", "data.paired.frames.fps=1", "data.audio.sample_rate=8000" }).ToArray());
        var lines = new List<string>();
        var splits = DatasetCatalog.Prepare(new DataRequest(c.Data, c.Seed, lines.Add));
        Assert.Equal((4, 1, 1), (splits.Train.Count, splits.HeldOut!.Count, splits.LeftOut));
        Assert.Contains($"skipped clip {dir.Combine("bird", "mute")}: no audio.wav", lines);
        Assert.Contains(lines, l => l.StartsWith($"{dir.Path}: 5 clips in 1 classes, 10 frames at 1/s; 1 clip folder(s) left out"));
    }

    [Fact]
    public void The_vggsound_preset_reads_video_frames_with_a_16_khz_spectrogram_branch()
    {
        var c = ConfigLoader.LoadFile(RepoFiles.PathOf("experiments/audio-image/vggsound-frames.json"));
        Assert.Equal(("video-frames", "data/vggsound/clips", "data/vggsound/labels.csv", 1.0, 2),
            (c.Data.Kind, c.Data.Paired!.Frames!.Root, c.Data.Paired.Frames.LabelsCsv, c.Data.Paired.Frames.Fps, c.Data.Audio.HoldOutFold));
        Assert.Equal((16000, 16000), (c.Data.Audio.SampleRate, c.Model.BranchB!.Mel!.SampleRate));
        Assert.False(c.Model.Shared);
    }
}
