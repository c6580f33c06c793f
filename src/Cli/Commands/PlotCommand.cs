using System.CommandLine;
using Vicreg.Tooling.Plots;
using Vicreg.Training.Runs;

namespace Vicreg.Cli.Commands;

/// <summary>vicreg plot runs/NAME: redraws the PNG plots from the run's CSV files and the embedding maps from eval/features-map-*.bin.</summary>
internal static class PlotCommand
{
    public static Command Create()
    {
        var runArgument = new Argument<DirectoryInfo>("run") { Description = "Run folder (runs/<name>)" };
        var command = new Command("plot", "Redraw runs/<name>/plots/*.png (loss terms, lr, kNN accuracy, spectrum, collapse diagnostics) from the run's CSV files, and the embedding maps from the cached held-out features.") { runArgument };
        command.SetAction(parse => Output.Guard(() =>
        {
            var dir = parse.GetValue(runArgument)!;
            if (!File.Exists(Path.Combine(dir.FullName, "stats.csv")))
                return Output.Fail($"{Path.Combine(dir.FullName, "stats.csv")}: no such file; is {dir.FullName} a run folder?");
            var run = new RunFolder(dir.FullName);
            var files = RunPlots.Draw(run).Concat(EmbeddingMaps.Redraw(run, Console.Error.WriteLine));
            foreach (var f in files) Console.WriteLine(f);
            return 0;
        }));
        return command;
    }
}
