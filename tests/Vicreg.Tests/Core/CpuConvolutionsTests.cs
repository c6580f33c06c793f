using Vicreg.Core;
using Vicreg.Tests.Cli;
using static TorchSharp.torch;

namespace Vicreg.Tests.Core;

public class CpuConvolutionsTests
{
    [Fact]
    public void TheConvolutionsInForceAgreeWithFloat64OnEveryCheckedShape()
    {
        string line = CpuConvolutions.Apply();
        Assert.StartsWith("CPU convolutions: ", line);
        Assert.Equal(line.StartsWith("CPU convolutions: oneDNN", StringComparison.Ordinal), CpuConvolutions.OneDnnEnabled());
        Assert.False(CpuConvolutions.NnpackEnabled()); // no "Could not initialize NNPACK" line per convolution
        var (mismatches, compared) = ConvolutionCheck.Run();
        Assert.Equal(45, compared);
        Assert.True(mismatches.Count == 0, $"{line}\n{string.Join("\n", mismatches)}");
    }

    [Fact]
    public void TheCheckNamesAConvolutionThatIsWrongForTwelveInputChannels()
    {
        // A stand-in for a faulty kernel: right everywhere except that, with 12 input channels, it drops the last one.
        static Tensor Faulty(Tensor x, Tensor w, ConvolutionShape s) =>
            x.shape[1] == 12 ? ConvolutionCheck.Libtorch(x[.., ..11], w[.., ..11], s) : ConvolutionCheck.Libtorch(x, w, s);
        CpuConvolutions.Apply(); // the kernels that agree with float64 here
        var (mismatches, compared) = ConvolutionCheck.Run(Faulty);
        Assert.Equal(45, compared);
        Assert.Equal(9, mismatches.Count); // 3 output channel counts × 3 kernel sizes
        Assert.All(mismatches, m => Assert.Equal(12, m.Shape.InChannels));
        Assert.Matches(@"^12 → 4 channels, 3×3: (forward|weight gradient|input gradient) off by \d+% of its largest value$",
            Assert.Single(mismatches, m => m.Shape.OutChannels == 4 && m.Shape.Weight[2] == 3).ToString());
    }

    /// <summary>In a child process with every fresh CPU allocation filled with NaN (VICREG_CPU_MEMORY=junk), a tiny run
    /// trains: nothing it runs (our code, the convolutions chosen) reads memory that was never written. Width 12 is not
    /// a multiple of oneDNN's vector block.</summary>
    [Fact]
    public void OnNanFilledMemoryATinyRunWithUnalignedChannelsTrains()
    {
        using var temp = new TempDir();
        var run = CliProcessTests.Vicreg(temp.Path, new Dictionary<string, string> { [CpuConvolutions.MemoryVariable] = "junk" },
            "pretrain", "--set", "name=junk", "--set", "device=cpu", "--set", "data.kind=synthetic-images",
            "--set", "data.synthetic.root=shapes", "--set", "data.synthetic.classes=2", "--set", "data.synthetic.train_per_class=16",
            "--set", "data.synthetic.val_per_class=1", "--set", "data.synthetic.size=16", "--set", "data.image_size=16",
            "--set", "model.branch_a.encoder=resnet18", "--set", "model.branch_a.base_width=12",
            "--set", "model.branch_a.expander=8-8", "--set", "optim.batch_size=16", "--set", "optim.epochs=1",
            "--set", "optim.warmup_epochs=0", "--set", "eval.diagnostics=false", "--set", "eval.linear_probe=false",
            "--set", "output.tensorboard=false", "--set", "output.plots=false", "--set", "output.runs_dir=runs");
        Assert.True(run.Code == 0, run.Output);
        Assert.DoesNotContain("diverged", run.Output);
        Assert.DoesNotContain("NNPACK", run.Output); // batch 16: NNPACK's size
        Assert.Contains("fresh CPU memory filled with NaN (VICREG_CPU_MEMORY=junk)", run.Output);
        // Where oneDNN failed the general check, the command line looks again at the run's own convolutions; 12
        // channels are not a multiple of either vector block, so the run keeps ATen's kernels without checking.
        if (run.Output.Contains("oneDNN's disagreed with float64", StringComparison.Ordinal))
            Assert.Matches(@"CPU convolutions for this run: ATen's kernels \(the run has \d+ → 12 channels, 3×3: not a multiple of oneDNN's (8|16)-channel block", run.Output);
    }

    [Theory]
    [InlineData(1, 16, 8, true)] // the Fashion-MNIST preset's stem: grey data in
    [InlineData(3, 8, 8, true)] // the quickstart's stem: RGB data in
    [InlineData(8, 16, 8, true)]
    [InlineData(1, 4, 8, false)] // the 1-D stem that gave NaN in training with oneDNN, though its check passed
    [InlineData(12, 16, 8, false)]
    [InlineData(16, 12, 8, false)]
    [InlineData(4, 8, 8, false)] // 4 is not the channel count of data
    [InlineData(8, 16, 16, false)] // AVX-512's block
    public void AConvolutionFitsTheVectorBlockOnlyWhenEveryChannelCountDoes(long inChannels, long outChannels, long block, bool fits)
    {
        var shape = new ConvolutionShape(new long[] { 4, inChannels, 16, 16 }, new long[] { outChannels, inChannels, 3, 3 },
            new long[] { 1, 1 }, new long[] { 1, 1 }, new long[] { 1, 1 });
        Assert.Equal(fits, shape.FitsBlock(block));
    }
}
