using Vicreg.Core;

namespace Vicreg.Tests.Core;

public class CpuKernelCapTests
{
    [Theory]
    [InlineData("vendor_id\t: AuthenticAMD\nflags\t\t: fpu avx2 avx512f avx512dq avx512_bf16\n", true)]
    [InlineData("vendor_id\t: AuthenticAMD\nflags\t\t: fpu avx2 fma\n", false)]
    [InlineData("vendor_id\t: GenuineIntel\nflags\t\t: fpu avx2 avx512f avx512dq\n", false)]
    public void TheCapAppliesToAmdProcessorsWithAvx512Only(string cpuinfo, bool capped) =>
        Assert.Equal(capped, CpuKernelCap.NeedsCap(cpuinfo));

    [Fact]
    public void OnThisMachineTheCapIsInForceExactlyWhenItsProcessorNeedsIt()
    {
        SharedMachine.Prepare();
        bool needs = File.Exists("/proc/cpuinfo") && CpuKernelCap.NeedsCap(File.ReadAllText("/proc/cpuinfo"));
        string? value = NativeEnvironment.Get(CpuKernelCap.Variable);
        if (needs)
        {
            Assert.False(string.IsNullOrEmpty(value), "an AMD AVX-512 processor, but DNNL_MAX_CPU_ISA is not set");
            Assert.False(string.IsNullOrEmpty(NativeEnvironment.Get(CpuKernelCap.AtenVariable)), "an AMD AVX-512 processor, but ATEN_CPU_CAPABILITY is not set");
        }
        else Assert.True(string.IsNullOrEmpty(value) || Environment.GetEnvironmentVariable(CpuKernelCap.Variable) == value,
            $"DNNL_MAX_CPU_ISA={value} was set on a processor that does not need the cap");
    }
}
