using Vicreg.Tests.Cli;
using Vicreg.Training.Runs;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training.Runs;

public class DeviceResolverTests
{
    [Theory]
    [InlineData("auto", true)]
    [InlineData("cpu", true)]
    [InlineData("cuda", true)]
    [InlineData("cuda:0", true)]
    [InlineData("cuda:12", true)]
    [InlineData("cuda:", false)]
    [InlineData("cuda:-1", false)]
    [InlineData("cuda:x", false)]
    [InlineData("gpu", false)]
    [InlineData("CPU", false)]
    public void DeviceNamesAreChecked(string name, bool valid) => Assert.Equal(valid, DeviceResolver.IsValidName(name));

    [Fact]
    public void CpuResolves() => Assert.Equal(CPU.type, DeviceResolver.Resolve("cpu").type);

    [NoGpuFact]
    public void AutoResolvesToCpuAndCudaWithoutAGpuSaysHowToGetIt()
    {
        Assert.Equal(CPU.type, DeviceResolver.Resolve("auto").type);
        var e = Assert.Throws<InvalidOperationException>(() => DeviceResolver.Resolve("cuda:1"));
        Assert.Contains("-p:TorchBackend=cuda", e.Message);
        Assert.Contains("VICREG_LIBTORCH_DIR", e.Message);
        Assert.Contains("--device cpu", e.Message);
    }

    [NoGpuFact]
    public void TheDeviceFlagOverridesTheConfig()
    {
        using var temp = new TempDir();
        File.WriteAllText(Path.Combine(temp.Path, "cpu.json"), "{ \"device\": \"cpu\", \"data\": { \"kind\": \"synthetic-images\" } }");
        var (code, output) = CliProcessTests.Vicreg(temp.Path, "pretrain", "--config", "cpu.json", "--device", "cuda:0");
        Assert.Equal(2, code);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("device \"cuda:0\" was asked for", line);
        Assert.Contains("-p:TorchBackend=cuda", line);
    }
}
