using System.CommandLine;
using Spectre.Console;
using Vicreg.Tooling.Ablations;

namespace Vicreg.Cli.Commands;

/// <summary>vicreg ablate experiments/ablations/GRID.json: every point of the grid in turn, resumable;
/// results.csv, results.md and results.png in runs/ablations/GRID/.</summary>
internal static class AblateCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("grid") { Description = "Grid file: a base experiment and axes (experiments/ablations/*.json)" };
        var runsDir = new Option<string?>("--runs-dir") { Description = "Where the grid's folder goes (default: the grid's runs_dir, else ablations/ under the base's output.runs_dir)" };
        var command = new Command("ablate", "Run an ablation grid (the paper's Tables 4, 5, 7, 8, 12, 13): one pretraining + linear probe + kNN per point; resumable.")
            { file, runsDir };
        command.SetAction(parse => Output.Guard(() =>
        {
            var grid = AblationGrid.Load(parse.GetValue(file)!.FullName);
            if (parse.GetValue(runsDir) is { } dir) grid = grid with { RunsDir = dir };
            var info = new ConsoleObserver().Info;
            using var cancel = new CancellationTokenSource();
            using var signals = StopSignals.Register(cancel, info);
            info($"{grid.Title}: {grid.Points().Count} points, results in {grid.Folder}");
            IReadOnlyList<AblationResult> results = Array.Empty<AblationResult>();
            if (Output.Interactive)
                AnsiConsole.Progress().AutoClear(false)
                    .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .Start(ctx => results = AblationRunner.Run(grid, (_, _, _) => new ConsoleObserver { Context = ctx }, info, cancel.Token));
            else
                results = AblationRunner.Run(grid, (_, _, _) => new ConsoleObserver(), info, cancel.Token);
            AnsiConsole.WriteLine();
            AnsiConsole.Write(new Text(File.ReadAllText(AblationReport.MarkdownPath(grid))));
            info($"wrote {AblationRunner.ResultsCsv(grid)}, {AblationReport.MarkdownPath(grid)}, {AblationReport.ChartPath(grid)}");
            return 0;
        }));
        return command;
    }
}
