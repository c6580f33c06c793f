using Vicreg.Training.Logging;
using Vicreg.Training.Model;
using Vicreg.Training.Runs;
using static TorchSharp.torch;

namespace Vicreg.Training.Evaluation;

/// <summary>
/// Collapse diagnostics at every epoch end: embeds a fixed batch of views (training-mode BatchNorm, no grad, buffers restored) with each
/// branch, measures it with <see cref="CollapseDiagnostics"/>, appends to diagnostics.csv and spectrum.csv,
/// logs to the scalar log (TensorBoard) and prints a warning line when the embeddings collapse.
/// </summary>
public sealed class DiagnosticsHook : IEpochHook
{
    public const string Header = "epoch,step,branch,count,dim,mean_std,min_std,low_std_fraction,rankme,mean_abs_correlation,state";
    private readonly Func<(Tensor A, Tensor? B)> views;
    private readonly Device device;
    private readonly CollapseThresholds thresholds;
    private readonly IScalarLog log;
    private readonly EpochCsv table, spectrum;

    /// <param name="views">Makes the fixed batch for branch A and (unshared, same input kind) branch B, on the CPU.</param>
    public DiagnosticsHook(RunFolder run, Func<(Tensor A, Tensor? B)> views, Device device, CollapseThresholds? thresholds = null, IScalarLog? log = null)
    {
        this.views = views;
        this.device = device;
        this.thresholds = thresholds ?? new CollapseThresholds();
        this.log = log ?? NullScalarLog.Instance;
        table = new EpochCsv(DiagnosticsPath(run), Header);
        spectrum = new EpochCsv(SpectrumPath(run), "epoch,step,branch,index,singular_value");
    }

    public static string DiagnosticsPath(RunFolder run) => Path.Combine(run.Root, "diagnostics.csv");
    public static string SpectrumPath(RunFolder run) => Path.Combine(run.Root, "spectrum.csv");

    /// <summary>The reports of the last epoch, by branch ("a", "b").</summary>
    public IReadOnlyDictionary<string, CollapseReport> Last { get; private set; } = new Dictionary<string, CollapseReport>();

    public void EpochEnded(EpochContext context)
    {
        var reports = Measure(context.Model, views, device, thresholds);
        Last = reports;
        table.Append(context.Epoch, reports.Select(kv => (IReadOnlyList<object>)new object[]
        {
            context.Step, kv.Key, kv.Value.Count, kv.Value.Dim, kv.Value.MeanStd, kv.Value.MinStd, kv.Value.LowStdFraction,
            kv.Value.RankMe, kv.Value.MeanAbsCorrelation, kv.Value.State.ToString().ToLowerInvariant(),
        }));
        spectrum.Append(context.Epoch, reports.SelectMany(kv => kv.Value.SingularValues.Select((s, i) => (IReadOnlyList<object>)new object[] { context.Step, kv.Key, i, s })));
        foreach (var (branch, r) in reports)
        {
            string prefix = $"collapse/{branch}/";
            log.Scalar(prefix + "mean_std", r.MeanStd, context.Step);
            log.Scalar(prefix + "min_std", r.MinStd, context.Step);
            log.Scalar(prefix + "low_std_fraction", r.LowStdFraction, context.Step);
            log.Scalar(prefix + "rankme", r.RankMe, context.Step);
            log.Scalar(prefix + "mean_abs_correlation", r.MeanAbsCorrelation, context.Step);
            var warning = r.Warning($"epoch {context.Epoch + 1}, branch {branch}");
            if (warning is not null) context.Info(warning);
        }
    }

    /// <summary>
    /// Embeds the views with each branch and measures them. The forward runs in training mode, as the loss
    /// sees the embeddings (BatchNorm normalises with the batch's statistics; in eval mode the running
    /// statistics, which lag behind early in training, would make healthy embeddings look collapsed), under
    /// no_grad, and every buffer the pass updates (BN running statistics) is restored bit for bit afterwards.
    /// </summary>
    public static Dictionary<string, CollapseReport> Measure(JointEmbedding model, Func<(Tensor A, Tensor? B)> views, Device device, CollapseThresholds? thresholds = null)
    {
        var result = new Dictionary<string, CollapseReport>();
        bool wasTraining = model.training;
        using var scope = NewDisposeScope();
        var buffers = model.named_buffers().Select(b => (Live: b.buffer, Saved: b.buffer.clone())).ToList();
        model.train();
        try
        {
            using var noGrad = no_grad();
            var (a, b) = views();
            result["a"] = CollapseDiagnostics.Measure(model.A.call(a.to(device)).Embedding, thresholds);
            if (!model.Shared && b is not null)
                result["b"] = CollapseDiagnostics.Measure(model.B.call(b.to(device)).Embedding, thresholds);
        }
        finally
        {
            using (no_grad())
                foreach (var (live, saved) in buffers) live.copy_(saved);
            model.train(wasTraining);
        }
        return result;
    }
}
