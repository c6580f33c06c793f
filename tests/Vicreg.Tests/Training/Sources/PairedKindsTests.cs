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
    public void The_vggsound_preset_reads_a_paired_manifest_with_a_16_khz_spectrogram_branch()
    {
        var c = ConfigLoader.LoadFile(RepoFiles.PathOf("experiments/audio-image/vggsound-frames.json"));
        Assert.Equal(("paired-manifest", "data/vggsound/train.csv", "data/vggsound/test.csv"), (c.Data.Kind, c.Data.Train, c.Data.Val));
        Assert.Equal((16000, 16000), (c.Data.Audio.SampleRate, c.Model.BranchB!.Mel!.SampleRate));
        Assert.False(c.Model.Shared);
    }
}
