using System.Diagnostics;
using Vicreg.Core;

namespace Vicreg.Tests.Core;

/// <summary>The OpenMP wait policy reaches libgomp (its own report, OMP_DISPLAY_ENV), the user's value wins,
/// and libtorch's thread count follows the documented precedence.</summary>
public class SharedMachineTests
{
    /// <summary>Runs `vicreg devices` with exactly the given OpenMP/thread variables (the test host's own are removed).</summary>
    static (int Code, string Output) Devices(IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment.Remove(SharedMachine.WaitPolicyVariable);
        start.Environment.Remove(TorchThreads.EnvironmentVariable);
        start.Environment.Remove(CpuConvolutions.Variable);
        foreach (var (k, v) in environment) start.Environment[k] = v;
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vicreg.dll"));
        start.ArgumentList.Add("devices");
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(10))) { p.Kill(true); throw new TimeoutException("vicreg devices did not finish in 10 minutes"); }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    [Fact]
    public void TheTestHostSetThePolicyInTheNativeEnvironmentBeforeLibtorchLoaded()
    {
        Assert.NotNull(SharedMachine.WaitPolicy);
        Assert.False(SharedMachine.TooLate);
        // getenv through libc: what libgomp reads (the managed copy alone would not do).
        Assert.Equal(SharedMachine.WaitPolicy, NativeEnvironment.Get(SharedMachine.WaitPolicyVariable));
    }

    [Fact]
    public void TheCliMakesLibgompPassiveUnlessTheUserSaysOtherwise()
    {
        // libgomp prints its settings when it initialises, i.e. when libtorch loads. Its wait-policy line reads
        // PASSIVE when the variable is unset too; the spin count tells them apart (unset: 300000, PASSIVE: 0).
        var passive = Devices(new Dictionary<string, string> { ["OMP_DISPLAY_ENV"] = "VERBOSE" });
        Assert.True(passive.Code == 0, passive.Output);
        Assert.Contains("GOMP_SPINCOUNT = '0'", passive.Output);
        Assert.Contains("OpenMP wait policy PASSIVE", passive.Output);

        var active = Devices(new Dictionary<string, string> { ["OMP_DISPLAY_ENV"] = "VERBOSE", ["OMP_WAIT_POLICY"] = "ACTIVE" });
        Assert.True(active.Code == 0, active.Output);
        Assert.Contains("OMP_WAIT_POLICY = 'ACTIVE'", active.Output);
        Assert.DoesNotContain("GOMP_SPINCOUNT = '0'", active.Output);
    }

    [Fact]
    public void CpuConvolutionsAreCheckedAndTheVariableDecidesWithoutTheCheck()
    {
        var byDefault = Devices(new Dictionary<string, string>());
        Assert.True(byDefault.Code == 0, byDefault.Output);
        Assert.Matches(@"CPU convolutions: (oneDNN \(agrees with float64 on 45 shapes\)|ATen's kernels \(oneDNN's disagreed with float64 on \d+ of 45 shapes here, e\.g\. \d+ → \d+ channels)", byDefault.Output);

        var off = Devices(new Dictionary<string, string> { [CpuConvolutions.Variable] = "0" });
        Assert.True(off.Code == 0, off.Output);
        Assert.Contains("CPU convolutions: ATen's kernels (VICREG_ONEDNN=0)", off.Output);

        var kept = Devices(new Dictionary<string, string> { [CpuConvolutions.Variable] = "1" });
        Assert.True(kept.Code == 0, kept.Output);
        Assert.Contains("CPU convolutions: oneDNN (VICREG_ONEDNN=1, not checked)", kept.Output);
    }

    [Fact]
    public void TheThreadVariableOverridesAndABadValueIsOneLine()
    {
        var one = Devices(new Dictionary<string, string> { [TorchThreads.EnvironmentVariable] = "1" });
        Assert.True(one.Code == 0, one.Output);
        Assert.Contains("libtorch: 1 intra-op thread (VICREG_TORCH_THREADS=1)", one.Output);

        var bad = Devices(new Dictionary<string, string> { [TorchThreads.EnvironmentVariable] = "many" });
        Assert.Equal(2, bad.Code);
        Assert.Contains("VICREG_TORCH_THREADS: must be a whole number ≥ 1; got \"many\"", bad.Output);
        Assert.DoesNotContain(" at ", bad.Output);
    }

    [Theory]
    [InlineData(2, 1, 2)]
    [InlineData(2, 2, 1)]
    [InlineData(2, 4, 1)]
    [InlineData(16, 4, 14)]
    [InlineData(1, 0, 1)]
    public void AutoLeavesACoreForEveryTwoLoaderWorkers(int cores, int workers, int threads) =>
        Assert.Equal(threads, TorchThreads.Auto(cores, workers));

    [Fact]
    public void TheVariableBeatsTheConfigWhichBeatsAuto()
    {
        Assert.Equal((2, "VICREG_TORCH_THREADS=2"), TorchThreads.Resolve(4, 3, "2"));
        Assert.Equal((3, "torch_threads in the config"), TorchThreads.Resolve(4, 3, null));
        Assert.Equal((3, "torch_threads in the config"), TorchThreads.Resolve(4, 3, " "));
        Assert.Equal(TorchThreads.Auto(TorchThreads.Cores, 4), TorchThreads.Resolve(4, 0, null).Threads);
        Assert.Throws<InvalidOperationException>(() => TorchThreads.Resolve(4, 0, "0"));
    }
}
