using Spectre.Console;
using Vicreg.Training.Config;
using Vicreg.Training.Jobs;
using Vicreg.Training.Runs;

namespace Vicreg.Cli;

/// <summary>The short table at the end of a run, and the one-line verdict of the probes.</summary>
internal static class Summary
{
    public static void Print(ExperimentConfig c, PretrainOutcome o, StepStats? last)
    {
        var table = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumn("").AddColumn("");
        table.AddRow("run folder", Markup.Escape(o.Run.Root));
        table.AddRow("steps", $"{o.StepsTaken} this session, {o.TotalSteps} in all");
        table.AddRow("time", $"{o.Elapsed.TotalSeconds:F0} s");
        if (last is not null)
            table.AddRow("last step", $"loss {last.Loss:F4} = {c.Loss.Sim}·inv {last.Invariance:F4} + {c.Loss.Std}·var {last.Variance:F4} + {c.Loss.Cov}·cov {last.Covariance:F4}");
        table.AddRow("skipped files", o.SkippedFiles.ToString());
        foreach (var p in o.Probes)
            table.AddRow($"linear probe: {Markup.Escape(p.Backbone)}", $"top-1 {p.Top1:F1}%  top-5 {p.Top5:F1}%  ({p.Train} train / {p.Val} held-out)");
        AnsiConsole.Write(table);

        var trained = o.Probes.FirstOrDefault(p => p.Backbone.StartsWith("pretrained", StringComparison.Ordinal));
        var random = o.Probes.FirstOrDefault(p => p.Backbone.StartsWith("random-init", StringComparison.Ordinal));
        if (trained is not null && random is not null)
            Console.WriteLine($"What it learned: linear-probe top-1 on held-out data is {trained.Top1:F1}% for the pretrained backbone " +
                $"vs {random.Top1:F1}% for the same network at random init ({trained.Top1 - random.Top1:+0.0;-0.0} points).");
    }
}
