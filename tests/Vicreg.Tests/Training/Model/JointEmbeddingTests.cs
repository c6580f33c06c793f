using TorchSharp;
using Vicreg.Encoders;
using Vicreg.Training.Config;
using Vicreg.Training.Model;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training.Model;

public class JointEmbeddingTests
{
    private static readonly BranchConfig Small = new() { Encoder = "resnet18", Expander = "32-32", Stem = ResNetStem.Small };

    [Fact]
    public void SharedUsesOneSetOfWeightsForBothViews()
    {
        using var m = ModelFactory.Build(new ModelConfig { Shared = true, BranchA = Small });
        Assert.True(m.Shared);
        Assert.Same(m.A, m.B);
        Assert.DoesNotContain(m.state_dict().Keys, k => k.StartsWith("b.", StringComparison.Ordinal));
        Assert.Contains("a.backbone.conv1.weight", m.state_dict().Keys);
    }

    [Fact]
    public void UnsharedBranchesHaveTheirOwnWeightsAndMayDifferInArchitecture()
    {
        var other = Small with { Encoder = "resnet34", InChannels = 1 };
        using var m = ModelFactory.Build(new ModelConfig { Shared = false, BranchA = Small, BranchB = other });
        Assert.False(m.Shared);
        Assert.NotSame(m.A, m.B);
        Assert.Equal(new long[] { 64, 1, 3, 3 }, m.state_dict()["b.backbone.conv1.weight"].shape);
        long countA = m.A.parameters().Sum(p => p.numel()), countB = m.B.parameters().Sum(p => p.numel());
        Assert.Equal(countA + countB, m.parameters().Sum(p => p.numel()));
        m.train();
        var (za, zb) = m.call(randn(4, 3, 16, 16), randn(4, 1, 16, 16));
        Assert.Equal(new long[] { 4, 32 }, za.shape);
        Assert.Equal(new long[] { 4, 32 }, zb.shape);
    }

    [Fact]
    public void UnsharedWithoutBranchBIsTheSameArchitectureWithDifferentWeights()
    {
        manual_seed(1);
        using var m = ModelFactory.Build(new ModelConfig { Shared = false, BranchA = Small });
        var sd = m.state_dict();
        Assert.Equal(sd["a.backbone.conv1.weight"].shape, sd["b.backbone.conv1.weight"].shape);
        Assert.False(sd["a.backbone.conv1.weight"].allclose(sd["b.backbone.conv1.weight"]));
    }

    [Fact]
    public void EmbeddingWidthsMustAgree()
    {
        var a = ModelFactory.BuildBranch(Small, "a");
        var b = ModelFactory.BuildBranch(Small with { Expander = "32-16" }, "b");
        var ex = Assert.Throws<ArgumentException>(() => JointEmbedding.Unshared(a, b));
        Assert.Contains("same width", ex.Message);
    }
}
