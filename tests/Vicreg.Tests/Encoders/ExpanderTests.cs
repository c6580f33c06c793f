using Vicreg.Encoders;
using static TorchSharp.torch;

namespace Vicreg.Tests.Encoders;

public class ExpanderTests
{
    [Fact]
    public void SpecBuildsLinearBnReluBlocksAndABiasFreeLastLayer()
    {
        using var e = new Expander(512, "64-64-32");
        var sd = e.state_dict();
        Assert.Equal(new long[] { 64, 512 }, sd["layers.0.weight"].shape);
        Assert.True(sd.ContainsKey("layers.1.running_mean"));
        Assert.Equal(new long[] { 32, 64 }, sd["layers.6.weight"].shape);
        Assert.False(sd.ContainsKey("layers.6.bias"));
        Assert.Equal(32, e.OutputDim);
        e.train();
        using var y = e.call(randn(4, 512));
        Assert.Equal(new long[] { 4, 32 }, y.shape);
    }

    [Theory]
    [InlineData("")]
    [InlineData("8192-x-8192")]
    [InlineData("8192--8192")]
    [InlineData("-5")]
    public void BadSpecsSayWhatIsWrong(string spec)
    {
        var ex = Assert.Throws<ArgumentException>(() => Expander.Parse(spec));
        Assert.Contains("8192-8192-8192", ex.Message);
    }
}
