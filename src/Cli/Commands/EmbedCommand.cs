using System.CommandLine;
using Spectre.Console;
using TorchSharp;
using Vicreg.Runs.Evaluation;
using Vicreg.Training.Config;
using Vicreg.Training.Runs;
using Vicreg.Training.Sources;

namespace Vicreg.Cli.Commands;

/// <summary>vicreg embed --run R [--branch a|b] --data DIR|CSV --out DIR: embeddings of every file as .npy plus index.csv.</summary>
internal static class EmbedCommand
{
    public static Command Create()
    {
        var runOption = EvalCommandSupport.RunOption();
        var branchOption = new Option<string>("--branch") { Description = "a or b: which branch encodes the files (its modality decides which files are read)", DefaultValueFactory = _ => "a" };
        var dataOption = new Option<string>("--data") { Description = "A folder (one subfolder per class, or the files themselves) or a CSV with a path column and optionally a label column", Required = true };
        var outOption = new Option<DirectoryInfo>("--out", "-o") { Description = "Output folder for embeddings.npy and index.csv", Required = true };
        var expanderOption = new Option<bool>("--expander") { Description = "Write the expander's output (what the loss compares) instead of the representation (what the probes use)" };
        var set = EvalCommandSupport.SetOption();
        var deviceOption = DeviceOptions.Device();
        var command = new Command("embed", "Embed every image or sound of a folder or list with a trained branch, through the same readers and evaluation views as the probes: embeddings.npy (float32, one row per file read) and index.csv (file, label, row).")
            { runOption, branchOption, dataOption, outOption, expanderOption, set, deviceOption };
        command.SetAction(parse => Output.Guard(() =>
        {
            string branch = parse.GetValue(branchOption)!;
            if (branch is not ("a" or "b")) return Output.Fail($"--branch: \"{branch}\" is neither a nor b");
            var opened = EvalCommandSupport.Open(parse.GetValue(runOption)!, DeviceOptions.Overrides(parse.GetValue(set), parse.GetValue(deviceOption)), out int failure);
            if (opened is null) return failure;
            var (run, c) = opened.Value;
            var device = DeviceResolver.Resolve(c.Device);
            using var loaded = EvaluationModel.Load(c, run, device, null, EvalCommandSupport.Info);
            var side = branch == "a" ? BranchSide.A : BranchSide.B;
            var model = side == BranchSide.A ? loaded.Model.A : loaded.Model.B;
            string data = parse.GetValue(dataOption)!, outDir = parse.GetValue(outOption)!.FullName;
            bool expander = parse.GetValue(expanderOption);
            EvalCommandSupport.Info($"embedding {data} with branch {branch} ({model.Encoder.GetName()}, step {loaded.Step}) on {device}");
            EmbedResult? result = null;
            if (Output.Interactive)
                AnsiConsole.Progress().AutoClear(false)
                    .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .Start(ctx =>
                    {
                        var task = ctx.AddTask("embed", maxValue: 1.0);
                        result = EmbedJob.Run(c, model, side, data, outDir, expander, device, EvalCommandSupport.Info, new Progress<double>(v => task.Value = v));
                    });
            else
                result = EmbedJob.Run(c, model, side, data, outDir, expander, device, EvalCommandSupport.Info);
            var r = result!;
            Console.WriteLine($"wrote {r.EmbeddingsPath} [{r.Rows}, {r.Dim}] and {r.IndexPath}: {r.Rows} of {r.Listed} files embedded"
                + (r.Skipped > 0 ? $", {r.Skipped} skipped (named above)" : ""));
            return 0;
        }));
        return command;
    }
}
