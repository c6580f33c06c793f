using System.CommandLine;
using Vicreg.Training.Bench;

namespace Vicreg.Cli.Commands;

/// <summary>vicreg bench loss: the covariance term's Gram form against the D×D form.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var n = new Option<int>("--n") { Description = "Batch rows", DefaultValueFactory = _ => 256 };
        var d = new Option<int>("--d") { Description = "Embedding width", DefaultValueFactory = _ => 8192 };
        var repeats = new Option<int>("--repeats") { Description = "Timed repetitions (median reported)", DefaultValueFactory = _ => 3 };
        var csv = new Option<FileInfo?>("--csv") { Description = "Also append the result to this CSV file" };
        var loss = new Command("loss", "Covariance term fwd+bwd: Gram (N×N) vs feature (D×D) form; prints the speed-up.") { n, d, repeats, csv };
        loss.SetAction(parse => Output.Guard(() =>
        {
            var r = LossBenchmark.Run(parse.GetValue(n), parse.GetValue(d), parse.GetValue(repeats), Console.WriteLine);
            if (parse.GetValue(csv) is { } file) LossBenchmark.AppendCsv(file.FullName, r);
            return 0;
        }));
        return new Command("bench", "Benchmarks; each prints medians and ratios.") { loss, BenchAugmentCommand.Create(), BenchLogMelCommand.Create() };
    }
}
