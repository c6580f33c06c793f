using Vicreg.Core;

namespace Vicreg.Tests.Core;

public class OneDnnIsaTests
{
    [Theory]
    [InlineData("vendor_id\t: AuthenticAMD\nflags\t\t: fpu avx2 avx512f avx512dq avx512_bf16\n", true)]
    [InlineData("vendor_id\t: AuthenticAMD\nflags\t\t: fpu avx2 fma\n", false)]
    [InlineData("vendor_id\t: GenuineIntel\nflags\t\t: fpu avx2 avx512f avx512dq\n", false)]
    public void TheCapAppliesToAmdProcessorsWithAvx512Only(string cpuinfo, bool capped) =>
        Assert.Equal(capped, OneDnnIsa.NeedsCap(cpuinfo));

    [Fact]
    public void OnThisMachineTheCapIsInForceExactlyWhenItsProcessorNeedsIt()
    {
        SharedMachine.Prepare();
        bool needs = File.Exists("/proc/cpuinfo") && OneDnnIsa.NeedsCap(File.ReadAllText("/proc/cpuinfo"));
        string? value = NativeEnvironment.Get(OneDnnIsa.Variable);
        if (needs) Assert.False(string.IsNullOrEmpty(value), "an AMD AVX-512 processor, but DNNL_MAX_CPU_ISA is not set");
        else Assert.True(string.IsNullOrEmpty(value) || Environment.GetEnvironmentVariable(OneDnnIsa.Variable) == value,
            $"DNNL_MAX_CPU_ISA={value} was set on a processor that does not need the cap");
    }
}
