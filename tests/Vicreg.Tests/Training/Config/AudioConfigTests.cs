using Vicreg.Encoders.Audio;
using Vicreg.Training.Config;

namespace Vicreg.Tests.Training.Config;

public class AudioConfigTests
{
    private static string RepoFile(string relative) => RepoFiles.PathOf(relative);

    [Fact]
    public void The_esc50_preset_has_the_papers_settings()
    {
        var c = ConfigLoader.LoadFile(RepoFile("experiments/audio/esc50-wave-spec.json"));
        Assert.Equal("esc50", c.Data.Kind);
        Assert.False(c.Model.Shared);
        Assert.Equal(("resnet1d18", "spectrogram-resnet18"), (c.Model.BranchA.Encoder, c.Model.BranchB!.Encoder));
        Assert.Equal(("adamw", 5e-4, 100, false), (c.Optim.Name, c.Optim.BaseLr, c.Optim.Epochs, c.Optim.ScaleLrWithBatch));
        Assert.Equal((25.0, 25.0, 1.0), (c.Loss.Sim, c.Loss.Std, c.Loss.Cov));
        Assert.Equal(5, c.Data.Audio.HoldOutFold);
        Assert.Equal(64, c.Model.BranchB.Mel!.NMels);
        Assert.True(c.Model.BranchB.Mel.NormalizeToUnit);
    }

    [Fact]
    public void The_audio_quickstart_parses_with_mel_settings_matching_the_data()
    {
        var c = ConfigLoader.LoadFile(RepoFile("experiments/audio/quickstart.json"));
        Assert.Equal("synthetic-audio", c.Data.Kind);
        Assert.Equal(c.Data.Audio.SampleRate, c.Model.BranchB!.Mel!.SampleRate);
        Assert.Equal(MelScale.Htk, c.Model.BranchB.Mel.MelScale);
    }

    [Theory]
    [InlineData("model.branch_a.encoder=resnet18", "model.branch_a.encoder", "takes images")]
    [InlineData("model.branch_b.mel.sample_rate=16000", "model.branch_b.mel.sample_rate", "must match")]
    [InlineData("model.branch_b.mel.win_length=4000", "model.branch_b.mel", "win_length")]
    [InlineData("data.audio.view_a.crop_seconds=0", "data.audio.view_a", "crop_seconds")]
    [InlineData("data.kind=esc50", "data.train", "meta/esc50.csv")]
    [InlineData("data.audio.sample_rate=100", "data.audio.sample_rate", "between 4000")]
    public void Audio_errors_name_the_field(string change, string field, string problem)
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile(RepoFile("experiments/audio/quickstart.json"), new[] { change }));
        Assert.Contains($": {field}", ex.Message);
        Assert.Contains(problem, ex.Message);
    }

    [Fact]
    public void Image_data_refuses_an_audio_encoder()
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("{}", "t.json", new[] { "data.kind=synthetic-images", "model.branch_a.encoder=resnet1d18" }));
        Assert.Contains("model.branch_a.encoder", ex.Message);
        Assert.Contains("takes waveforms", ex.Message);
    }
}
