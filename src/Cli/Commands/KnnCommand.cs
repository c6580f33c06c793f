using System.CommandLine;
using Spectre.Console;
using Vicreg.Training.Evaluation;
using Vicreg.Runs.Evaluation;
using Vicreg.Training.Sources;
using Vicreg.Training.Runs;

namespace Vicreg.Cli.Commands;

/// <summary>vicreg knn --run runs/NAME: weighted kNN of the frozen backbone on the held-out data.</summary>
internal static class KnnCommand
{
    public static Command Create()
    {
        var runOption = EvalCommandSupport.RunOption();
        var set = EvalCommandSupport.SetOption();
        var weights = EvalCommandSupport.WeightsOption();
        var k = new Option<int>("--k") { Description = "Neighbours", DefaultValueFactory = _ => 20 };
        var t = new Option<double>("--temperature") { Description = "Vote weight exp(similarity / T)", DefaultValueFactory = _ => 0.07 };
        var command = new Command("knn", "kNN accuracy (k=20, cosine similarity, exp(s/T) vote with T=0.07) of the frozen backbone, top-1 and top-5; features are cached.")
            { runOption, set, weights, k, t };
        command.SetAction(parse => Output.Guard(() =>
        {
            var opened = EvalCommandSupport.Open(parse.GetValue(runOption)!, parse.GetValue(set), out int failure);
            if (opened is null) return failure;
            var (run, c) = opened.Value;
            if (parse.GetValue(k) < 1) return Output.Fail("--k must be ≥ 1");
            if (!(parse.GetValue(t) > 0)) return Output.Fail("--temperature must be > 0");
            var device = DeviceResolver.Resolve(c.Device);
            using var model = EvaluationModel.Load(c, run, device, parse.GetValue(weights)?.FullName, EvalCommandSupport.Info);
            using var data = RunData.Prepare(c, EvalCommandSupport.Info);
            var rows = KnnEvalJob.Run(c, run, model.Model, model.Step, model.Tag, device, data, new KnnOptions(parse.GetValue(k), parse.GetValue(t)), EvalCommandSupport.Info);
            var table = new Table().AddColumns("backbone", "k", "top-1 %", "top-5 %", "train", "held-out");
            foreach (var r in rows) table.AddRow(Markup.Escape(r.Backbone), r.K.ToString(), r.Top1.ToString("F1"), r.Top5.ToString("F1"), r.Train.ToString(), r.Val.ToString());
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }
}
