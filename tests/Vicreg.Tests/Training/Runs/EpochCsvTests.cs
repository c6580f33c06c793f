using Vicreg.Training.Runs;

namespace Vicreg.Tests.Training.Runs;

public sealed class EpochCsvTests
{
    [Fact]
    public void A_resumed_run_replaces_the_epochs_it_repeats()
    {
        using var temp = new TempDir();
        string path = temp.Combine("d.csv");
        var first = new EpochCsv(path, "epoch,value");
        for (int e = 0; e < 4; e++) first.Append(e, new[] { new object[] { e * 1.5 } });
        // A new process resumes at epoch 2 (the checkpoint of epoch 1's end): epochs 2 and 3 are written again.
        var resumed = new EpochCsv(path, "epoch,value");
        resumed.Append(2, new[] { new object[] { 20.0 } });
        var rows = EpochCsv.Read(path);
        Assert.Equal(new[] { "0", "1", "2" }, rows.Select(r => r["epoch"]));
        Assert.Equal(new[] { "0", "1.5", "20" }, rows.Select(r => r["value"]));
    }
}
