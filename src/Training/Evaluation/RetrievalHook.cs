using Vicreg.Training.Logging;
using Vicreg.Training.Model;
using Vicreg.Training.Runs;
using Vicreg.Training.Sources;

namespace Vicreg.Training.Evaluation;

/// <summary>Online cross-modal retrieval every <c>every</c> epochs (and at the last one) between the two branches'
/// embeddings of the held-out pairs: appends to retrieval.csv, logs retrieval/&lt;query&gt;-&lt;gallery&gt;/r1, r5,
/// r10 and median_rank. For unshared models (a shared branch embeds both views of a sample alike).</summary>
public sealed class RetrievalHook : IEpochHook
{
    public const string Header = "epoch,step,direction,pairs,r1,r5,r10,median_rank,chance_r1,chance_median_rank";
    private readonly int every;
    private readonly Func<JointEmbedding, RetrievalNames> names;
    private readonly Func<Branch, BranchSide, FeatureSet> embeddings;
    private readonly IScalarLog log;
    private readonly EpochCsv table;

    /// <param name="names">What each branch of the model takes (see <see cref="RetrievalNames.Of"/>).</param>
    /// <param name="embeddings">The held-out embeddings of a frozen branch on its views; the hook disposes them.</param>
    public RetrievalHook(RunFolder run, int every, Func<JointEmbedding, RetrievalNames> names, Func<Branch, BranchSide, FeatureSet> embeddings, IScalarLog? log = null)
    {
        if (every < 1) throw new ArgumentOutOfRangeException(nameof(every), "must be ≥ 1");
        this.every = every;
        this.names = names;
        this.embeddings = embeddings;
        this.log = log ?? NullScalarLog.Instance;
        table = new EpochCsv(RetrievalPath(run), Header);
    }

    public static string RetrievalPath(RunFolder run) => Path.Combine(run.Root, "retrieval.csv");

    public void EpochEnded(EpochContext context)
    {
        if ((context.Epoch + 1) % every != 0 && context.Epoch + 1 != context.Epochs) return;
        if (context.Model.Shared) return;
        using var a = embeddings(context.Model.A, BranchSide.A);
        using var b = embeddings(context.Model.B, BranchSide.B);
        var pair = RetrievalPair.Evaluate(names(context.Model), a, b);
        var rows = new List<IReadOnlyList<object>>();
        foreach (var (direction, r) in pair.Directions)
        {
            rows.Add(new object[] { context.Step, direction, r.Pairs, r.R1, r.R5, r.R10, r.MedianRank, r.ChanceR1, r.ChanceMedianRank });
            log.Scalar($"retrieval/{direction}/r1", r.R1, context.Step);
            log.Scalar($"retrieval/{direction}/r5", r.R5, context.Step);
            log.Scalar($"retrieval/{direction}/r10", r.R10, context.Step);
            log.Scalar($"retrieval/{direction}/median_rank", r.MedianRank, context.Step);
        }
        table.Append(context.Epoch, rows);
        context.Info($"retrieval after epoch {context.Epoch + 1} on {pair.AToB.Pairs} held-out pairs: {RetrievalText.Line(pair)}");
    }
}

/// <summary>How retrieval results read in a console line.</summary>
public static class RetrievalText
{
    public static string Line(RetrievalPair pair) => string.Join("; ", pair.Directions.Select(d => $"{Arrow(d.Direction)} {Short(d.Result)}"));

    /// <summary>"R@1 6.0% R@5 21.3% R@10 35.0% median rank 19 (chance 0.3%, 1.7%, 3.3%, 150.5)".</summary>
    public static string Short(RetrievalResult r) =>
        $"R@1 {r.R1:F1}% R@5 {r.R5:F1}% R@10 {r.R10:F1}% median rank {r.MedianRank:0.#} (chance {r.ChanceR1:F1}%, {r.ChanceR5:F1}%, {r.ChanceR10:F1}%, {r.ChanceMedianRank:0.#})";

    public static string Arrow(string direction) => direction.Replace("->", " → ");
}
