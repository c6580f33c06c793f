using System.Globalization;
using Spectre.Console;
using Vicreg.Training.Config;
using Vicreg.Runs;
using Vicreg.Runs.Evaluation;
using Vicreg.Training.Methods;
using Vicreg.Training.Evaluation;
using Vicreg.Training.Runs;

namespace Vicreg.Cli;

/// <summary>The short table at the end of a run, and the one-line verdicts of the probes and the retrieval.</summary>
internal static class Summary
{
    public static void Print(ExperimentConfig c, PretrainOutcome o, StepStats? last, IReadOnlyList<LossTerm> terms)
    {
        var table = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumn("").AddColumn("");
        table.AddRow("run folder", Markup.Escape(o.Run.Root));
        table.AddRow("steps", $"{o.StepsTaken} this session, {o.TotalSteps} in all");
        table.AddRow("time", $"{o.Elapsed.TotalSeconds:F0} s");
        if (last is not null)
            table.AddRow("last step", Markup.Escape(LastStep(last, terms)));
        table.AddRow("skipped files", o.SkippedPairs > 0 ? $"{o.SkippedFiles} ({o.SkippedPairs} pair(s) left out whole)" : o.SkippedFiles.ToString());
        foreach (var p in o.Probes)
            table.AddRow($"linear probe: {Markup.Escape(p.Backbone)}",
                Markup.Escape($"top-1 {p.Top1:F1}% {AccuracyInterval.Wilson(p.Top1, p.Val)}  top-5 {p.Top5:F1}% {AccuracyInterval.Wilson(p.Top5, p.Val)}  ({p.Train} train / {p.Val} held-out; 95% intervals)"));
        var majority = o.Probes.Count > 0 ? LinearEvalJob.ReadMajority(o.Run) : null;
        foreach (var row in ProbeFloors(o.Probes, majority)) table.AddRow(row.Label, Markup.Escape(row.Text));
        foreach (var r in o.Retrieval ?? Array.Empty<RetrievalRow>())
            table.AddRow($"retrieval: {Markup.Escape(r.Model)} {Markup.Escape(RetrievalText.Arrow(r.Direction))}",
                $"R@1 {r.R1:F1}%  R@5 {r.R5:F1}%  R@10 {r.R10:F1}%  median rank {r.MedianRank:0.#}  (chance {r.ChanceR1:F1}% / {r.ChanceR5:F1}% / {r.ChanceR10:F1}% / {r.ChanceMedianRank:0.#}; {r.Pairs} pairs)");
        AnsiConsole.Write(table);

        // One verdict per probed part (the backbone; or branch A, branch B and both, when unshared).
        foreach (var trained in o.Probes.Where(p => p.Backbone.StartsWith("pretrained", StringComparison.Ordinal)))
        {
            var random = o.Probes.FirstOrDefault(p => p.Backbone.StartsWith("random-init", StringComparison.Ordinal) && Part(p.Backbone) == Part(trained.Backbone));
            if (random is null) continue;
            string what = Part(trained.Backbone) is { Length: > 0 } part ? $"the pretrained {part}" : "the pretrained backbone";
            Console.WriteLine($"What it learned: linear-probe top-1 on held-out data is {trained.Top1:F1}% {AccuracyInterval.Wilson(trained.Top1, trained.Val)} for {what} " +
                $"vs {random.Top1:F1}% {AccuracyInterval.Wilson(random.Top1, random.Val)} for the same network at random init ({trained.Top1 - random.Top1:+0.0;-0.0} points; 95% intervals, {trained.Val} held-out samples)" +
                (majority is null ? "." : $" and {majority.Top1:F1}% for always answering the majority class."));
        }
        // Advice once, on the first pretrained probe (branch A's, or the shared backbone's).
        if (o.Probes.FirstOrDefault(p => p.Backbone.StartsWith("pretrained", StringComparison.Ordinal)) is { } first)
        {
            var floor = o.Probes.FirstOrDefault(p => p.Backbone.StartsWith("random-init", StringComparison.Ordinal) && Part(p.Backbone) == Part(first.Backbone));
            foreach (var line in ProbeAdvice.Lines(first.Top1, floor?.Top1, majority, first.Val, o.TotalSteps, Vicreg.Training.Sources.ModalityCatalog.Of(c.Model.BranchA)))
                Console.WriteLine(line);
        }
        RetrievalVerdicts(o.Retrieval);
    }

    /// <summary>The floors under the probes: the majority class, and the random-init probe when it was not run.</summary>
    public static IEnumerable<(string Label, string Text)> ProbeFloors(IReadOnlyList<ProbeRow> probes, MajorityBaseline? majority)
    {
        if (probes.Count == 0) yield break;
        if (majority is not null)
            yield return ("floor: majority class", $"top-1 {majority.Top1:F1}% {AccuracyInterval.Wilson(majority.Top1, majority.Val)}  top-5 {majority.Top5:F1}%  (always answering \"{majority.Class}\", {majority.TrainShare:F1}% of the training samples)");
        if (!probes.Any(p => p.Backbone.StartsWith("random-init", StringComparison.Ordinal)))
            yield return ("floor: random init", "not measured; set eval.compare_random_init true, or run vicreg linear-eval --run RUN --compare-random-init");
    }

    /// <summary>One line per retrieval direction: the pretrained model's Recall@1 against chance and against random init.</summary>
    private static void RetrievalVerdicts(IReadOnlyList<RetrievalRow>? rows)
    {
        if (rows is null) return;
        foreach (var trained in rows.Where(r => r.Model.StartsWith("pretrained", StringComparison.Ordinal)))
        {
            var random = rows.FirstOrDefault(r => r.Model == "random-init" && r.Direction == trained.Direction);
            Console.WriteLine($"What it learned: {RetrievalText.Arrow(trained.Direction)} retrieval on {trained.Pairs} held-out pairs: " +
                $"Recall@1 {trained.R1:F1}% ({trained.R1 / trained.ChanceR1:0.#}× chance {trained.ChanceR1:F2}%), median rank {trained.MedianRank:0.#} of {trained.Pairs}" +
                (random is null ? "" : $"; at random init {random.R1:F1}% ({random.R1 / random.ChanceR1:0.#}× chance), median rank {random.MedianRank:0.#}") + ".");
        }
    }

    /// <summary>"loss 20.2939 = 25·inv 0.1483 + 25·var 0.6519 + 1·cov 0.2886": the total as the weighted sum of the method's terms.</summary>
    private static string LastStep(StepStats last, IReadOnlyList<LossTerm> terms)
    {
        var shown = terms.Where(t => last.Terms.Any(x => x.Name == t.Name)).ToList();
        string line = string.Create(CultureInfo.InvariantCulture, $"loss {last.Loss:F4}");
        if (shown.Count == 0) return line;
        return line + " = " + string.Join(" + ", shown.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Weight:G}·{t.Label} {last.Term(t.Name):F4}")));
    }

    /// <summary>"pretrained-b-spectrogram-step900" and "random-init-b-spectrogram" → "b-spectrogram".</summary>
    private static string Part(string backbone)
    {
        string rest = backbone.StartsWith("pretrained", StringComparison.Ordinal) ? backbone["pretrained".Length..] : backbone["random-init".Length..];
        int step = rest.IndexOf("-step", StringComparison.Ordinal);
        if (step >= 0) rest = rest[..step];
        return rest.TrimStart('-') switch
        {
            "" => "",
            "a" => "branch A",
            "b" => "branch B",
            "concat" => "concatenation of both branches",
            var p when p.StartsWith("a-", StringComparison.Ordinal) => $"{p[2..]} branch (A)",
            var p when p.StartsWith("b-", StringComparison.Ordinal) => $"{p[2..]} branch (B)",
            var p => p,
        };
    }
}
