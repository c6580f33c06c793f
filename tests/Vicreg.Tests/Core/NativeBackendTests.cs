using static TorchSharp.torch;

namespace Vicreg.Tests.Core;

public class NativeBackendTests
{
    [Fact]
    public void TensorOpRunsOnTheNativeBackend()
    {
        using var a = arange(6, dtype: ScalarType.Float32).reshape(2, 3);
        using var b = a.matmul(a.t());
        Assert.Equal(new float[] { 5, 14, 14, 50 }, b.data<float>().ToArray());
    }

    [LinuxFact]
    public void TheLibtorchMappedIsTheOneFromTheBuildOutput()
    {
        using var _ = ones(1) + 1; // make sure the native library is loaded
        var mapped = File.ReadAllLines("/proc/self/maps")
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "")
            .Where(p => p.EndsWith("/libtorch_cpu.so", StringComparison.Ordinal))
            .Distinct().ToList();
        // Debian's python3-torch puts libtorch 1.13 in /usr/lib; we must load 2.10 from our own bin folder.
        var single = Assert.Single(mapped);
        Assert.StartsWith(Path.GetFullPath(AppContext.BaseDirectory), single);
    }

    [LinuxFact]
    public void TheShimInTheOutputHasTheGlibcxxNeedMarkedWeak()
    {
        var shim = Directory.GetFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories);
        Assert.NotEmpty(shim);
        foreach (var file in shim)
            Assert.True(ElfVersionNeeds.IsWeak(file, "GLIBCXX_3.4.32") == true, // null: the need is gone, and the build step with it
                $"{file}: GLIBCXX_3.4.32 is needed but not marked weak; the build step in build/MarkGlibcxxWeak.targets did not run");
    }
}
