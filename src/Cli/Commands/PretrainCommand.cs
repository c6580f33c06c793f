using System.CommandLine;
using Spectre.Console;
using Vicreg.Training.Config;
using Vicreg.Runs;
using Vicreg.Tooling.Plots;
using Vicreg.Training.Methods;

namespace Vicreg.Cli.Commands;

/// <summary>vicreg pretrain [--config file.json] [--set key=value …]; no --config runs the embedded quickstart.</summary>
internal static class PretrainCommand
{
    public static Command Create(string name = "pretrain", string? description = null)
    {
        var config = new Option<FileInfo?>("--config", "-c") { Description = "Experiment file (JSON). Without it, the embedded CPU quickstart runs." };
        var set = new Option<string[]>("--set") { Description = "Override a config field, e.g. --set optim.epochs=5 (repeatable)", AllowMultipleArgumentsPerToken = true };
        var device = DeviceOptions.Device();
        var precision = DeviceOptions.Precision();
        var command = new Command(name, description ?? "Pretrain a joint embedding with VICReg; resumes from the run folder's last checkpoint.") { config, set, device, precision };
        command.SetAction(parse => Output.Guard(() =>
        {
            var file = parse.GetValue(config);
            var overrides = DeviceOptions.Overrides(parse.GetValue(set), parse.GetValue(device), parse.GetValue(precision));
            var experiment = file is null
                ? ConfigLoader.Parse(EmbeddedExperiments.Read(EmbeddedExperiments.Quickstart), "quickstart.json (embedded)", overrides)
                : ConfigLoader.LoadFile(file.ToString(), overrides); // as typed, so errors name the file the way the user wrote it
            return Run(experiment);
        }));
        return command;
    }

    private static int Run(ExperimentConfig experiment)
    {
        var observer = new ConsoleObserver();
        using var cancel = new CancellationTokenSource();
        using var signals = StopSignals.Register(cancel, observer.Info, () => observer.TrainingDone,
            Path.Combine(experiment.Output.RunsDir, experiment.Name));
        PretrainOutcome outcome;
        if (Output.Interactive)
        {
            outcome = null!;
            AnsiConsole.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    observer.Context = ctx;
                    outcome = PretrainJob.Run(experiment, observer, cancel.Token, PngRunCharts.Instance);
                });
        }
        else
        {
            outcome = PretrainJob.Run(experiment, observer, cancel.Token, PngRunCharts.Instance);
        }
        if (Vicreg.Core.Distributed.MpiCollectives.Current is not { Rank: > 0 }) // rank 0 speaks for all
            Summary.Print(experiment, outcome, observer.Last, observer.Plan?.LossTerms ?? MethodCatalog.Create(experiment).Terms);
        return 0;
    }
}
