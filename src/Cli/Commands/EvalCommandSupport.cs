using System.CommandLine;
using Spectre.Console;
using Vicreg.Training.Config;
using Vicreg.Training.Runs;

namespace Vicreg.Cli.Commands;

/// <summary>The options the evaluation commands share: --run, --set and --weights.</summary>
internal static class EvalCommandSupport
{
    public static Option<DirectoryInfo> RunOption() =>
        new("--run") { Description = "Run folder (runs/<name>) with config.json and checkpoints/", Required = true };

    public static Option<string[]> SetOption() =>
        new("--set") { Description = "Override a config field, e.g. --set data.val=/data/val", AllowMultipleArgumentsPerToken = true };

    public static Option<FileInfo?> WeightsOption() =>
        new("--weights") { Description = "Evaluate branch A's backbone loaded from a PyTorch file (official VICReg resnet50.pth or full checkpoint, torchvision state dict) instead of the run's checkpoint" };

    public static void Info(string line) => AnsiConsole.MarkupLine(Markup.Escape(line));

    /// <summary>The one-line refusal of a command that handles image backbones only, or null when branch A takes images.</summary>
    public static string? ImageRunsOnly(ExperimentConfig c, RunFolder run, string command) =>
        Vicreg.Training.Sources.ModalityCatalog.Of(c.Model.BranchA) is var modality && modality != Vicreg.Encoders.EncoderCatalog.Image
            ? $"{run.ConfigPath}: model.branch_a.encoder: vicreg {command} fine-tunes image backbones; \"{c.Model.BranchA.Encoder}\" takes {modality} (use vicreg linear-eval or knn)"
            : null;

    /// <summary>The run folder and its config, or a one-line failure.</summary>
    public static (RunFolder Run, ExperimentConfig Config)? Open(DirectoryInfo dir, string[]? overrides, out int failure)
    {
        failure = 0;
        string config = Path.Combine(dir.FullName, "config.json");
        if (!File.Exists(config))
        {
            failure = Output.Fail($"{config}: no such file; is {dir.FullName} a run folder?");
            return null;
        }
        var run = new RunFolder(dir.FullName);
        return (run, ConfigLoader.LoadFile(run.ConfigPath, overrides));
    }
}
