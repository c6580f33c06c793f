using Vicreg.Training;
using Vicreg.Training.Config;
using Vicreg.Runs;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training;

/// <summary>
/// The plug-in redesign changed no arithmetic: three short runs, one per pairing (shared ResNet-18 images, DA
/// ResNet-18 / ResNet-34 images, waveform ↔ spectrogram), write exactly the loss columns that the code before the
/// redesign wrote (tests/fixtures/golden/, with the command that made them in its README). Exact equality of the
/// printed values: any change of arithmetic, stream tags or batch order shows. libtorch runs with 2 threads here,
/// as when the fixtures were made. The last digits depend on which CPU kernels libtorch's oneDNN runs: where it is
/// capped at AVX2 (<see cref="Vicreg.Core.CpuKernelCap"/>), the columns are those of tests/fixtures/golden/avx2/, written by
/// the same configs with the cap in force and no other change of code.
/// </summary>
public class GoldenColumnsTests
{
    [Theory]
    [InlineData("image-shared")]
    [InlineData("image-da")]
    [InlineData("audio-wave-spec")]
    public void The_loss_columns_equal_those_written_before_the_redesign(string pairing)
    {
        using var temp = new TempDir();
        string root = temp.Path.Replace('\\', '/');
        var c = ConfigLoader.LoadFile(RepoFiles.PathOf($"tests/fixtures/golden/{pairing}.json"), new[]
        {
            $"data.synthetic.root={root}/data", $"data.audio.synthetic.root={root}/data-audio", $"output.runs_dir={root}/runs",
        });
        int threads = get_num_threads();
        set_num_threads(2);
        try { PretrainJob.Run(c, NullObserver.Instance); }
        finally { set_num_threads(threads); }

        var expected = File.ReadAllLines(RepoFiles.PathOf($"tests/fixtures/golden/{KernelFolder()}{pairing}.csv"));
        var actual = File.ReadAllLines(Path.Combine(root, "runs", c.Name, "stats.csv"))
            .Select(line => string.Join(',', line.Split(',').Take(7))).ToArray();
        Assert.Equal(expected, actual);
    }

    /// <summary>The folder of the kernels in force: "aten-conv/" where convolutions run through ATen's kernels
    /// (oneDNN off, the default), then "avx2/" where the CPU kernels are capped at AVX2; "" for the kernels the first
    /// fixtures were made with (oneDNN, no cap).</summary>
    private static string KernelFolder()
    {
        Vicreg.Core.SharedMachine.Prepare();
        Vicreg.Core.CpuConvolutions.Apply();
        bool capped = Vicreg.Core.NativeEnvironment.Get(Vicreg.Core.CpuKernelCap.Variable) == Vicreg.Core.CpuKernelCap.SafeIsa;
        return (Vicreg.Core.CpuConvolutions.OneDnnEnabled() ? "" : "aten-conv/") + (capped ? "avx2/" : "");
    }
}
