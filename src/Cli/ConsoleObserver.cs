using Spectre.Console;
using Vicreg.Training;
using Vicreg.Training.Runs;

namespace Vicreg.Cli;

/// <summary>
/// Progress for a person: a live bar with the method's own loss terms and throughput on a terminal, one line per
/// epoch when the output is redirected (CI logs, files).
/// </summary>
internal sealed class ConsoleObserver : ITrainingObserver
{
    private ProgressTask? bar;
    private TrainingPlan? plan;
    private StepStats? last;
    private int lastEpochEnded = -1;

    public ProgressContext? Context { get; set; }
    public StepStats? Last => last;
    /// <summary>The plan of the run (its method's loss terms), once started.</summary>
    public TrainingPlan? Plan => plan;

    /// <summary>True once every epoch is trained (or the run was already finished): what follows is evaluation.</summary>
    public bool TrainingDone => plan is not null && Math.Max(plan.FirstEpoch, lastEpochEnded + 1) >= plan.Epochs;

    public void Started(TrainingPlan p)
    {
        plan = p;
        long total = (long)p.Epochs * p.StepsPerEpoch;
        Info($"training on {p.Device}: {p.Epochs} epochs × {p.StepsPerEpoch} steps, batch {p.BatchSize}" +
             (p.FirstStep > 0 ? $", resuming at step {p.FirstStep}" : ""));
        if (Context is null) return;
        bar = Context.AddTask("pretrain", maxValue: total);
        bar.Value = p.FirstStep;
    }

    public void Step(StepStats s)
    {
        last = s;
        if (bar is null) return;
        bar.Value = s.Step + 1;
        string terms = s.Terms.Count == 0 ? "" : $" [grey]({Markup.Escape(Terms(s, "F3"))})[/]";
        bar.Description = $"ep {s.Epoch + 1}/{plan!.Epochs} loss {s.Loss:F3}{terms} {s.SamplesPerSecond:F0}/s";
    }

    public void EpochEnded(int epoch, double meanLoss, string checkpoint)
    {
        lastEpochEnded = epoch;
        if (bar is not null) return;
        var s = last;
        Console.WriteLine($"epoch {epoch + 1}/{plan?.Epochs}: mean loss {meanLoss:F4}" +
            (s is null ? "" : $" (last step: {(s.Terms.Count == 0 ? "" : Terms(s, "F4") + ", ")}{s.SamplesPerSecond:F0} samples/s)"));
    }

    /// <summary>"inv 0.123 var 0.456 cov 0.789": each of the method's terms under its short label.</summary>
    private string Terms(StepStats s, string format) => string.Join(" ", s.Terms.Select(t =>
        $"{plan?.LossTerms.FirstOrDefault(x => x.Name == t.Name)?.Label ?? t.Name} {t.Value.ToString(format, System.Globalization.CultureInfo.InvariantCulture)}"));

    public void Info(string line) => AnsiConsole.MarkupLine(Markup.Escape(line));
}
