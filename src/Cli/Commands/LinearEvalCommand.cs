using System.CommandLine;
using Spectre.Console;
using TorchSharp;
using Vicreg.Training.Config;
using Vicreg.Runs.Evaluation;
using Vicreg.Tooling.Plots;
using Vicreg.Training.Sources;
using Vicreg.Training.Model;
using Vicreg.Training.Runs;
using Vicreg.Training.Evaluation;

namespace Vicreg.Cli.Commands;

/// <summary>vicreg linear-eval --run runs/NAME: probes the run's last checkpoint on its held-out data.</summary>
internal static class LinearEvalCommand
{
    public static Command Create()
    {
        var runOption = new Option<DirectoryInfo>("--run") { Description = "Run folder (runs/<name>) with config.json and checkpoints/", Required = true };
        var set = new Option<string[]>("--set") { Description = "Override a config field, e.g. --set eval.epochs=50", AllowMultipleArgumentsPerToken = true };
        var random = new Option<bool>("--compare-random-init") { Description = "Also probe the same architecture at random init" };
        var perClass = new Option<bool>("--per-class") { Description = "Also write per-class accuracy and the confusion matrix of each probe (eval/per_class_*.csv, eval/confusion_*.csv and .png)" };
        var weights = EvalCommandSupport.WeightsOption();
        var deviceOption = DeviceOptions.Device();
        var command = new Command("linear-eval", "Linear probe on frozen backbone features (cached), top-1 and top-5.") { runOption, set, random, perClass, weights, deviceOption };
        command.SetAction(parse => Output.Guard(() =>
        {
            var dir = parse.GetValue(runOption)!;
            var run = new RunFolder(dir.FullName);
            if (!File.Exists(run.ConfigPath)) return Output.Fail($"{run.ConfigPath}: no such file; is {dir.FullName} a run folder?");
            var c = ConfigLoader.LoadFile(run.ConfigPath, DeviceOptions.Overrides(parse.GetValue(set), parse.GetValue(deviceOption)));
            if (parse.GetValue(random)) c = c with { Eval = c.Eval with { CompareRandomInit = true } };
            var device = DeviceResolver.Resolve(c.Device);
            using var loaded = EvaluationModel.Load(c, run, device, parse.GetValue(weights)?.FullName, EvalCommandSupport.Info);
            using var data = RunData.Prepare(c, EvalCommandSupport.Info);
            var rows = LinearEvalJob.Run(c, run, loaded.Model, loaded.Step, device, data, EvalCommandSupport.Info, loaded.Tag, parse.GetValue(perClass), PngRunCharts.Instance);
            var table = new Table().AddColumns("backbone", "top-1 %", "95% interval", "top-5 %", "train", "held-out");
            foreach (var r in rows)
                table.AddRow(Markup.Escape(r.Backbone), r.Top1.ToString("F1"), Markup.Escape(AccuracyInterval.Wilson(r.Top1, r.Val).ToString()), r.Top5.ToString("F1"), r.Train.ToString(), r.Val.ToString());
            var majority = LinearEvalJob.ReadMajority(run);
            if (majority is not null)
                table.AddRow("majority class (floor)", majority.Top1.ToString("F1"), Markup.Escape(AccuracyInterval.Wilson(majority.Top1, majority.Val).ToString()), majority.Top5.ToString("F1"), "", majority.Val.ToString());
            AnsiConsole.Write(table);
            if (!rows.Any(r => r.Backbone.StartsWith("random-init", StringComparison.Ordinal)))
                EvalCommandSupport.Info("floor: random init not measured; add --compare-random-init");
            if (rows.FirstOrDefault(r => r.Backbone.StartsWith("pretrained", StringComparison.Ordinal)) is { } first)
            {
                var floor = rows.FirstOrDefault(r => r.Backbone.StartsWith("random-init", StringComparison.Ordinal));
                foreach (var line in ProbeAdvice.Lines(first.Top1, floor?.Top1, majority, first.Val, loaded.Step, ModalityCatalog.Of(c.Model.BranchA)))
                    EvalCommandSupport.Info(line);
            }
            return 0;
        }));
        return command;
    }
}
