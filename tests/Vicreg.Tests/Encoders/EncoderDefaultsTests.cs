using Vicreg.Core;
using Vicreg.Encoders;
using Vicreg.Training.Config;
using Vicreg.Tooling.Bench;

namespace Vicreg.Tests.Encoders;

/// <summary>The roles encoder entries declare (the paper's backbone, the small CPU one; torchvision's architectures),
/// and the defaults that ask for them instead of naming a backbone.</summary>
public class EncoderDefaultsTests
{
    [Fact]
    public void The_paper_and_small_backbones_are_declared_by_their_entries()
    {
        Assert.Equal("resnet50", EncoderCatalog.Default(Modalities.Image, EncoderDefault.Paper));
        Assert.Equal("resnet18", EncoderCatalog.Default(Modalities.Image, EncoderDefault.Small));
        Assert.Equal("spectrogram-resnet18", EncoderCatalog.Default(Modalities.Audio, EncoderDefault.Small));
        var e = Assert.Throws<ArgumentException>(() => EncoderCatalog.Default(Modalities.Audio, EncoderDefault.Paper));
        Assert.Equal("no audio encoder is declared the paper default; register one with DefaultFor = EncoderDefault.Paper", e.Message);
    }

    [Fact]
    public void The_defaults_that_ask_for_a_role_keep_their_backbones()
    {
        Assert.Equal("resnet50", new BranchConfig().Encoder);
        Assert.Equal("resnet50", new ExperimentConfig().Model.BranchA.Encoder);
        Assert.Equal("resnet18", new TrainBenchOptions().Encoder);
        Assert.Equal("resnet34", new TrainBenchOptions(Encoder: "resnet34").Encoder);
        Assert.Equal("resnet50", new CommBenchOptions().Encoder);
    }

    [Fact]
    public void Only_torchvisions_resnets_declare_themselves_torchvision_architectures() =>
        Assert.Equal(new[] { "resnet18", "resnet34", "resnet50", "resnet101", "resnet152" },
            EncoderCatalog.All.Where(e => e.InTorchvision).Select(e => e.Name));
}
