using Vicreg.Runs;
using Vicreg.Training.Runs;

namespace Vicreg.Tests.Runs;

public class PreflightTests
{
    [Fact]
    public void TooLittleDiskSpaceIsOneLineNamingTheFolderAndTheNeed()
    {
        using var temp = new TempDir();
        var ex = Assert.Throws<IOException>(() => Preflight.RequireFreeSpace(temp.Path, long.MaxValue / 2, "3 checkpoints of this model"));
        Assert.StartsWith(temp.Path, ex.Message);
        Assert.Contains("3 checkpoints of this model need about", ex.Message);
        Preflight.RequireFreeSpace(temp.Path, 1, "a byte");
    }

    [Fact]
    public void AFolderThatIsAFileIsNotWritable()
    {
        using var temp = new TempDir();
        var notAFolder = temp.Touch("plain-file");
        var ex = Assert.Throws<IOException>(() => Preflight.RequireWritable(notAFolder));
        Assert.Contains("not writable", ex.Message);
        Preflight.RequireWritable(temp.Path);
    }

    [Fact]
    public void CheckpointBytesCountWeightsAndOptimizerStateForEveryKeptCheckpoint() =>
        Assert.Equal(25_557_032L * 4 * 3 * 3, Preflight.CheckpointBytes(25_557_032, keep: 2));
}
