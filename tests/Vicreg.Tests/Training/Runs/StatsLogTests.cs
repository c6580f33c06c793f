using Vicreg.Training.Runs;

namespace Vicreg.Tests.Training.Runs;

/// <summary>stats.csv: epoch, step, lr, loss, the method's own term columns, samples_per_s, seconds.</summary>
public class StatsLogTests
{
    static StepStats Row(long step, params (string, double)[] terms) => new(0, step, 0.1, 2.5, terms, 100, 0.5);

    [Fact]
    public void VicRegKeepsItsColumnsAndOtherMethodsGetTheirOwn()
    {
        using var temp = new TempDir();
        var vicreg = Path.Combine(temp.Path, "vicreg.csv");
        using (var log = StatsLog.Open(vicreg, 0, new[] { "invariance", "variance", "covariance" }))
            log.Append(Row(0, ("invariance", 0.125), ("variance", 0.5), ("covariance", 0.25)));
        Assert.Equal(new[] { "epoch,step,lr,loss,invariance,variance,covariance,samples_per_s,seconds", "0,0,0.1,2.5,0.125,0.5,0.25,100,0.5" },
            File.ReadAllLines(vicreg));

        var barlow = Path.Combine(temp.Path, "barlow.csv");
        using (var log = StatsLog.Open(barlow, 0, new[] { "on_diagonal", "off_diagonal" }))
            log.Append(Row(0, ("on_diagonal", 3), ("off_diagonal", 7)));
        Assert.Equal("epoch,step,lr,loss,on_diagonal,off_diagonal,samples_per_s,seconds", File.ReadLines(barlow).First());
        var read = Assert.Single(StatsLog.Read(barlow));
        Assert.Equal(7, read.Term("off_diagonal"));
        Assert.True(double.IsNaN(read.Term("invariance")));
    }

    [Fact]
    public void AStatsFileWrittenBeforeNamedTermsResumesUnderTheMethodsColumns()
    {
        // A SimCLR run of the earlier version logged VICReg's three columns (NaN invariance) for every method.
        using var temp = new TempDir();
        var path = Path.Combine(temp.Path, "stats.csv");
        File.WriteAllLines(path, new[]
        {
            "epoch,step,lr,loss,invariance,variance,covariance,samples_per_s,seconds",
            "0,0,0,4.5,NaN,0.75,0.125,10,1.5",
            "0,1,0.1,4.25,NaN,0.5,0.25,11,1.25",
            "0,2,0.2,4,NaN,0.25,0.5,12,1",
        });
        var old = StatsLog.Read(path);
        Assert.Equal(new[] { 4.5, 4.25, 4 }, old.Select(r => r.Loss));
        Assert.Equal(new[] { "invariance", "variance", "covariance" }, old[0].Terms.Select(t => t.Name));

        using (var log = StatsLog.Open(path, keepStepsBelow: 2, new[] { "nt_xent", "variance", "covariance" }))
            log.Append(Row(2, ("nt_xent", 3.5), ("variance", 0.125), ("covariance", 0.5)));
        Assert.Equal(new[]
        {
            "epoch,step,lr,loss,nt_xent,variance,covariance,samples_per_s,seconds",
            "0,0,0,4.5,NaN,0.75,0.125,10,1.5",
            "0,1,0.1,4.25,NaN,0.5,0.25,11,1.25",
            "0,2,0.1,2.5,3.5,0.125,0.5,100,0.5",
        }, File.ReadAllLines(path));
    }

    [Fact]
    public void ATermNamedLikeAFixedColumnIsRefused()
    {
        using var temp = new TempDir();
        Assert.Throws<ArgumentException>(() => StatsLog.Open(Path.Combine(temp.Path, "s.csv"), 0, new[] { "loss" }));
    }
}
