using System.Globalization;
using CsvHelper;
using Vicreg.Training.Config;
using Vicreg.Training.Evaluation;
using Vicreg.Training.Model;
using Vicreg.Training.Runs;
using Vicreg.Training.Sources;
using TorchSharp;
using static TorchSharp.torch;

namespace Vicreg.Runs.Evaluation;

/// <summary>One row of eval/retrieval.csv: one direction (query → gallery) of one model, in %, with chance beside.</summary>
public sealed record RetrievalRow(string Model, string Direction, int Pairs, double R1, double R5, double R10, double MedianRank,
    double ChanceR1, double ChanceR5, double ChanceR10, double ChanceMedianRank, long Step)
{
    public static RetrievalRow Of(string model, string direction, RetrievalResult r, long step) =>
        new(model, direction, r.Pairs, r.R1, r.R5, r.R10, r.MedianRank, r.ChanceR1, r.ChanceR5, r.ChanceR10, r.ChanceMedianRank, step);
}

/// <summary>
/// Cross-modal retrieval on the held-out pairs for an unshared model (image ↔ audio, waveform ↔ spectrogram, two
/// image branches): each branch embeds its own file or view of every held-out sample through its encoder and
/// expander, the embeddings the invariance term aligns, and each side queries the other (<see cref="CrossModalRetrieval"/>).
/// Optionally the same architecture at its random initialisation (the weights pretraining started from), which
/// should score chance. Rows go to eval/retrieval.csv.
/// </summary>
public static class RetrievalJob
{
    public static IReadOnlyList<RetrievalRow> Run(ExperimentConfig c, RunFolder run, JointEmbedding trained, long step,
        Device device, RunData data, Action<string> info, string? tag = null)
    {
        var held = data.Splits.HeldOut ?? throw new InvalidOperationException(
            "retrieval needs held-out pairs: set data.val (or use data with folds or a generated held-out set)");
        if (trained.Shared) throw new InvalidOperationException("retrieval needs unshared branches (model.shared false)");
        var rows = new List<RetrievalRow>();

        void Evaluate(string name, JointEmbedding model, long atStep)
        {
            info($"retrieval ({name}): embedding {held.Count} held-out samples with each branch");
            using var a = FeatureExtractor.ExtractEmbeddings(model.A, held, data.Input(BranchSide.A, held), device);
            using var b = FeatureExtractor.ExtractEmbeddings(model.B, held, data.Input(BranchSide.B, held), device);
            var pair = RetrievalPair.Evaluate(RetrievalNames.Of(c, model), a, b);
            foreach (var (direction, r) in pair.Directions) rows.Add(RetrievalRow.Of(name, direction, r, atStep));
            info($"retrieval ({name}) on {pair.AToB.Pairs} held-out pairs: {RetrievalText.Line(pair)}");
        }

        Evaluate($"pretrained-{tag ?? $"step{step}"}", trained, step);
        if (c.Eval.CompareRandomInit)
        {
            manual_seed(c.Seed);
            using var init = ModelFactory.Build(c.Model).to(device);
            Evaluate("random-init", init, 0);
        }
        using (var writer = new StreamWriter(Path.Combine(run.EvalDir, "retrieval.csv")))
        using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
            csv.WriteRecords(rows);
        return rows;
    }
}
