using Vicreg.Data;
using Xunit;

namespace Vicreg.Tests.Data;

public class SeedMixTests
{
    [Fact]
    public void MixIsDeterministicAndSensitiveToOrderAndLength()
    {
        Assert.Equal(SeedMix.Mix(1, 2, 3), SeedMix.Mix(1, 2, 3));
        Assert.NotEqual(SeedMix.Mix(1, 2, 3), SeedMix.Mix(3, 2, 1));
        Assert.NotEqual(SeedMix.Mix(1), SeedMix.Mix(1, 0));
        Assert.NotEqual(SeedMix.Mix(0, 0), SeedMix.Mix(0, 1));
    }

    [Fact]
    public void RngStreamsRepeatForTheSameParts()
    {
        var a = SeedMix.Rng(7, 3, 11);
        var b = SeedMix.Rng(7, 3, 11);
        for (int i = 0; i < 100; i++) Assert.Equal(a.Next(), b.Next());
        Assert.NotEqual(SeedMix.Rng(7, 3, 11).Next(), SeedMix.Rng(7, 3, 12).Next());
    }
}
