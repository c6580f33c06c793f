using Vicreg.Core;
using Vicreg.Tests.Cli;

namespace Vicreg.Tests.Core;

/// <summary>VICREG_LIBTORCH_DIR: an installed libtorch loaded before TorchSharp, or one clear line.</summary>
public class LibTorchPreloadTests
{
    [Fact]
    public void ANonExistentFolderIsOneClearError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => LibTorchPreload.Load("/no/such/libtorch/lib"));
        Assert.Contains("/no/such/libtorch/lib: no such folder", e.Message);
        Assert.Contains("site-packages/torch/lib", e.Message);
    }

    [Fact]
    public void AFolderWithoutLibtorchIsOneClearError()
    {
        using var temp = new TempDir();
        var e = Assert.Throws<InvalidOperationException>(() => LibTorchPreload.Load(temp.Path));
        Assert.Contains("is not in", e.Message);
        Assert.Contains("libtorch_cpu.so", e.Message);
    }

    [Fact]
    public void TheExecutableRefusesABadFolderBeforeTouchingTorch()
    {
        using var temp = new TempDir();
        var (code, output) = CliProcessTests.Vicreg(temp.Path, new Dictionary<string, string> { [LibTorchPreload.EnvironmentVariable] = "/no/such/dir" }, "devices");
        Assert.Equal(2, code);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("VICREG_LIBTORCH_DIR=/no/such/dir: no such folder", line);
    }

    /// <summary>
    /// A folder of hard links to the build's libtorch stands in for an installed one (copying 0.5 GB would be
    /// too slow for a test): the child process must map libtorch_cpu.so from that folder, and only from there.
    /// Hard links are the same file, so the check that refuses a second, different libtorch lets them through.
    /// </summary>
    [LinuxFact]
    public void TheLibtorchMappedIsTheOneFromThePreloadFolder()
    {
        var native = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
        var linked = Path.Combine(AppContext.BaseDirectory, $"preload-test-{Environment.ProcessId}");
        Directory.CreateDirectory(linked);
        try
        {
            foreach (var file in Directory.GetFiles(native, "*.so*"))
                Assert.Equal(0, Link(file, Path.Combine(linked, Path.GetFileName(file))));
            using var temp = new TempDir();
            var (code, output) = CliProcessTests.Vicreg(temp.Path, new Dictionary<string, string> { [LibTorchPreload.EnvironmentVariable] = linked }, "devices");
            Assert.True(code == 0, output);
            var loaded = output.Split('\n').Where(l => l.StartsWith("loaded: ", StringComparison.Ordinal) && l.TrimEnd().EndsWith("/libtorch_cpu.so", StringComparison.Ordinal)).ToList();
            var single = Assert.Single(loaded);
            Assert.Equal($"loaded: {Path.Combine(linked, "libtorch_cpu.so")}", single.TrimEnd());
            Assert.Contains($"preloaded from: {linked}", output);
            Assert.Contains("autocast cpu bf16: matmul gives BFloat16", output);
        }
        finally
        {
            Directory.Delete(linked, recursive: true);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc.so.6", EntryPoint = "link", SetLastError = true)]
    private static extern int Link(string existing, string newPath);
}
