using System.CommandLine;
using Spectre.Console;
using Vicreg.Training.Evaluation;
using Vicreg.Runs.Evaluation;
using Vicreg.Training.Sources;
using Vicreg.Training.Runs;

namespace Vicreg.Cli.Commands;

/// <summary>vicreg semi-supervised --run runs/NAME --percent 1|10: the paper's fine-tuning on a label subset.</summary>
internal static class SemiSupervisedCommand
{
    public static Command Create()
    {
        var runOption = EvalCommandSupport.RunOption();
        var set = EvalCommandSupport.SetOption();
        var weights = EvalCommandSupport.WeightsOption();
        var percent = new Option<int>("--percent") { Description = "1 or 10 (% of the training labels)", DefaultValueFactory = _ => 1 };
        var epochs = new Option<int?>("--epochs") { Description = "Fine-tuning epochs (the paper: 20)" };
        var subset = new Option<FileInfo?>("--subset") { Description = "A list of the labelled images (paths relative to data.train, or SimCLR's 1percent.txt / 10percent.txt); default: a deterministic per-class choice written to eval/" };
        var command = new Command("semi-supervised", "Fine-tune the backbone and a linear head on 1% or 10% of the labels (lrs 0.03/0.08 or 0.01/0.1, 20 epochs, wd 0), top-1 and top-5 on held-out data.")
            { runOption, set, weights, percent, epochs, subset };
        command.SetAction(parse => Output.Guard(() =>
        {
            var opened = EvalCommandSupport.Open(parse.GetValue(runOption)!, parse.GetValue(set), out int failure);
            if (opened is null) return failure;
            var (run, c) = opened.Value;
            int p = parse.GetValue(percent);
            if (p is not (1 or 10)) return Output.Fail($"--percent: the paper's protocol is defined for 1 and 10; got {p}");
            var options = FineTuneOptions.Paper(p, c.Seed);
            if (parse.GetValue(epochs) is int e)
            {
                if (e < 1) return Output.Fail("--epochs must be ≥ 1");
                options = options with { Epochs = e };
            }
            if (EvalCommandSupport.ImageRunsOnly(c, run, "semi-supervised") is { } refusal) return Output.Fail(refusal);
            var device = DeviceResolver.Resolve(c.Device);
            using var model = EvaluationModel.Load(c, run, device, parse.GetValue(weights)?.FullName, EvalCommandSupport.Info);
            using var data = RunData.Prepare(c, EvalCommandSupport.Info);
            var r = SemiSupervisedJob.Run(c, run, model, device, data, options, EvalCommandSupport.Info, parse.GetValue(subset)?.FullName);
            var table = new Table().AddColumns("backbone", "labels", "top-1 %", "top-5 %", "labelled", "held-out", "lr backbone/head", "epochs");
            table.AddRow(Markup.Escape(r.Backbone), $"{r.Percent:G}%", r.Top1.ToString("F1"), r.Top5.ToString("F1"), r.Labelled.ToString(), r.Val.ToString(),
                $"{r.LrBackbone:G}/{r.LrHead:G}", r.Epochs.ToString());
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }
}
