using Vicreg.Tooling.Bench;

namespace Vicreg.Tests.Tooling.Bench;

/// <summary>The benchmarks' plumbing (not their timings): they run, and their CSV rows read back.</summary>
public class BenchTests
{
    [Fact]
    public void TheTrainBenchmarkRunsAStepAndItsRowsRoundTrip()
    {
        var o = new TrainBenchOptions(Encoder: "resnet18", Batch: 4, Size: 16, Expander: "32-32", Steps: 1, Warmup: 0);
        var lines = new List<string>();
        var r = TrainBenchmark.Run(o, lines.Add);
        Assert.True(r.MedianStepSeconds > 0);
        Assert.Equal(4 / r.MedianStepSeconds, r.SamplesPerSecond, 6);
        Assert.Contains(lines, l => l.Contains("steps/s"));
        var back = TrainBenchResult.ParseRow(r.CsvRow(), o);
        // The CSV keeps about six significant digits: relative, since a step takes 18 s on a loaded machine.
        Assert.Equal(r.MedianStepSeconds, back.MedianStepSeconds, r.MedianStepSeconds * 1e-5);
        Assert.Equal(r.Threads, back.Threads);

        using var temp = new TempDir();
        var csv = Path.Combine(temp.Path, "sub", "train.csv");
        TrainBenchmark.AppendCsv(csv, r, back);
        TrainBenchmark.AppendCsv(csv, r);
        var rows = File.ReadAllLines(csv);
        Assert.Equal(TrainBenchResult.CsvHeader, rows[0]);
        Assert.Equal(4, rows.Length);
    }

    [Fact]
    public void TheTrainBenchmarkTakesTheViewsFromTheHostWhenAskedAndSaysSo()
    {
        var o = new TrainBenchOptions(Encoder: "resnet18", Batch: 4, Size: 16, Expander: "32-32", Steps: 1, Warmup: 0, Input: "pinned");
        var lines = new List<string>();
        var r = TrainBenchmark.Run(o, lines.Add);
        Assert.Contains(lines, l => l.Contains("views on the host"));
        Assert.Contains(",pinned,", r.CsvRow());
        Assert.Equal("pinned", TrainBenchResult.ParseRow(r.CsvRow(), o).Options.Input);
        Assert.Throws<ArgumentException>(() => TrainBenchmark.Run(o with { Input = "disk" }, _ => { }));
        // The reference script takes the same choice and prints the same column.
        var script = File.ReadAllText(RepoFiles.PathOf("bench/reference/train_bench.py"));
        Assert.Contains("ap.add_argument(\"--input\", default=\"device\", choices=[\"device\", \"pinned\"])", script);
        Assert.Contains("{args.device},{args.input},", script);
    }

    [Fact]
    public void TheLossSweepCoversTheGridAndWritesRatios()
    {
        var ours = LossSweep.Run(new[] { 8, 64 }, new[] { 16 }, 1, _ => { });
        Assert.Equal(new[] { (8, 16), (64, 16) }, ours.Select(r => (r.N, r.D)));
        Assert.All(ours, r => Assert.True(r.MaxGradRelDiff < 1e-4));
        var reference = new[] { new LossReferenceResult(8, 16, 0.002, 0.004), new LossReferenceResult(64, 16, 0.003, 0.001) };
        using var temp = new TempDir();
        var csv = Path.Combine(temp.Path, "sweep.csv");
        LossSweep.WriteCsv(csv, ours, reference);
        var rows = File.ReadAllLines(csv);
        Assert.Equal(3, rows.Length);
        Assert.StartsWith("8,16,", rows[1]);
        Assert.Contains(",gram,", rows[1]);    // N < D: the Gram form
        Assert.Contains(",feature,", rows[2]); // N > D: the D×D form
        Assert.False(rows[1].EndsWith(",", StringComparison.Ordinal)); // the ratio column is filled
    }
}
