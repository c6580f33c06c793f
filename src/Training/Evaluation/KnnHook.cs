using Vicreg.Encoders;
using Vicreg.Training.Logging;
using Vicreg.Training.Runs;

namespace Vicreg.Training.Evaluation;

/// <summary>Online kNN every <c>every</c> epochs (and at the last one) on the backbone of each branch:
/// appends to knn.csv, logs knn/&lt;branch&gt;/top1 and top5.</summary>
public sealed class KnnHook : IEpochHook
{
    public const string Header = "epoch,step,backbone,k,top1,top5,train,val";
    private readonly int every, classes;
    private readonly Func<Encoder, Sources.BranchSide, (FeatureSet Train, FeatureSet Val)> features;
    private readonly KnnOptions options;
    private readonly IScalarLog log;
    private readonly EpochCsv table;

    /// <param name="features">Extracts (train, val) features with a frozen encoder on its branch's views; the hook disposes them.</param>
    public KnnHook(RunFolder run, int every, int classes, Func<Encoder, Sources.BranchSide, (FeatureSet Train, FeatureSet Val)> features, KnnOptions? options = null, IScalarLog? log = null)
    {
        if (every < 1) throw new ArgumentOutOfRangeException(nameof(every), "must be ≥ 1");
        this.every = every;
        this.classes = classes;
        this.features = features;
        this.options = options ?? new KnnOptions();
        this.log = log ?? NullScalarLog.Instance;
        table = new EpochCsv(KnnPath(run), Header);
    }

    public static string KnnPath(RunFolder run) => Path.Combine(run.Root, "knn.csv");

    public void EpochEnded(EpochContext context)
    {
        if ((context.Epoch + 1) % every != 0 && context.Epoch + 1 != context.Epochs) return;
        var rows = new List<IReadOnlyList<object>>();
        foreach (var (tag, side, encoder) in context.Model.Shared
                     ? new[] { ("a", Sources.BranchSide.A, context.Model.A.Encoder) }
                     : new[] { ("a", Sources.BranchSide.A, context.Model.A.Encoder), ("b", Sources.BranchSide.B, context.Model.B.Encoder) })
        {
            var (train, val) = features(encoder, side);
            using (train)
            using (val)
            {
                var r = KnnClassifier.Evaluate(train, val, classes, options);
                rows.Add(new object[] { context.Step, tag, r.K, r.Top1, r.Top5, r.TrainCount, r.ValCount });
                log.Scalar($"knn/{tag}/top1", r.Top1, context.Step);
                log.Scalar($"knn/{tag}/top5", r.Top5, context.Step);
                context.Info($"kNN (k={r.K}, T={options.Temperature}) after epoch {context.Epoch + 1}, backbone {tag}: top-1 {r.Top1:F1}%, top-5 {r.Top5:F1}%");
            }
        }
        table.Append(context.Epoch, rows);
    }
}
