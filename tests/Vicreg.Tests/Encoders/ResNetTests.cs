using Vicreg.Encoders;
using static TorchSharp.torch;

namespace Vicreg.Tests.Encoders;

/// <summary>Names, shapes and counts pinned to torchvision 0.14 (tests/fixtures/resnet_state_dicts.json).</summary>
public class ResNetTests
{
    [Theory]
    [InlineData("resnet18")]
    [InlineData("resnet34")]
    [InlineData("resnet50")]
    public void StateDictMatchesTorchvisionNameForNameAndShapeForShape(string name)
    {
        var expected = Fixtures.Load("resnet_state_dicts.json").GetProperty(name);
        using var model = (ResNet)EncoderCatalog.Create(name);
        using var withFc = new ResNet(name, model.FeatureDim == 2048, Layers(name), new ResNetOptions(NumClasses: 1000));
        var actual = withFc.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        var want = expected.GetProperty("state_dict").EnumerateArray()
            .ToDictionary(e => e[0].GetString()!, e => Fixtures.Shape(e[1]));
        Assert.Equal(want.Keys.OrderBy(k => k, StringComparer.Ordinal), actual.Keys.OrderBy(k => k, StringComparer.Ordinal));
        foreach (var (key, shape) in want)
            Assert.True(shape.SequenceEqual(actual[key]), $"{key}: torchvision [{string.Join(",", shape)}], ours [{string.Join(",", actual[key])}]");

        long Count(nn.Module m) => m.parameters().Sum(p => p.numel());
        Assert.Equal(expected.GetProperty("parameter_count").GetInt64(), Count(withFc));
        Assert.Equal(expected.GetProperty("parameter_count_without_fc").GetInt64(), Count(model));
    }

    private static int[] Layers(string name) => name switch
    {
        "resnet18" => new[] { 2, 2, 2, 2 },
        _ => new[] { 3, 4, 6, 3 },
    };

    [Theory]
    [InlineData("resnet18", 512)]
    [InlineData("resnet50", 2048)]
    [InlineData("resnet50x2", 4096)] // only declared: running the ×2 model would slow the suite
    public void OutputDimIsTheRepresentationWidth(string name, int dim)
    {
        using var model = EncoderCatalog.Create(name);
        Assert.Equal(dim, model.OutputDim);
    }

    [Theory]
    [InlineData("resnet18", 512)]
    [InlineData("resnet50", 2048)]
    public void TheForwardGivesTheRepresentationWidth(string name, int dim)
    {
        using var model = EncoderCatalog.Create(name);
        model.eval();
        using var y = model.call(randn(2, 3, 64, 64));
        Assert.Equal(new long[] { 2, dim }, y.shape);
    }

    [Fact]
    public void ZeroInitResidualZeroesTheLastNormOfEveryBlock()
    {
        using var model = EncoderCatalog.Create("resnet18");
        var sd = model.state_dict();
        foreach (var key in new[] { "layer1.0.bn2.weight", "layer4.1.bn2.weight" })
            Assert.Equal(0f, sd[key].abs().max().item<float>());
        Assert.Equal(1f, sd["layer1.0.bn1.weight"].min().item<float>());
        using var plain = EncoderCatalog.Create(new EncoderSpec("resnet18", ZeroInitResidual: false));
        Assert.Equal(1f, plain.state_dict()["layer1.0.bn2.weight"].min().item<float>());
    }

    [Fact]
    public void InChannelsAndSmallStemAreConfigurable()
    {
        using var model = EncoderCatalog.Create(new EncoderSpec("resnet18", InChannels: 1, Stem: ResNetStem.Small));
        Assert.Equal(new long[] { 64, 1, 3, 3 }, model.state_dict()["conv1.weight"].shape);
        Assert.Equal("image", model.InputForm); // one channel is still an image (Fashion-MNIST); spectrograms are SpectrogramEncoder's
        model.eval();
        using var y = model.call(randn(2, 1, 32, 32));
        Assert.Equal(new long[] { 2, 512 }, y.shape);
    }

    [Fact]
    public void WidenMultipliesEveryWidthAsInThePapersX2Models()
    {
        using var model = EncoderCatalog.Create("resnet50x2");
        var sd = model.state_dict();
        Assert.Equal(new long[] { 128, 3, 7, 7 }, sd["conv1.weight"].shape);
        Assert.Equal(new long[] { 4096, 1024, 1, 1 }, sd["layer4.2.conv3.weight"].shape);
    }

    [Fact]
    public void UnknownNamesListTheCatalog()
    {
        var ex = Assert.Throws<ArgumentException>(() => EncoderCatalog.Create("resnet51"));
        Assert.Contains("resnet50", ex.Message);
        Assert.Contains("resnet200x2", EncoderCatalog.Names);
    }
}
