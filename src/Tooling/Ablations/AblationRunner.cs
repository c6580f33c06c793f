using System.Diagnostics;
using System.Globalization;
using Vicreg.Training;
using Vicreg.Training.Config;
using Vicreg.Training.Evaluation;
using Vicreg.Runs;
using Vicreg.Runs.Evaluation;
using Vicreg.Tooling.Plots;
using Vicreg.Training.Runs;
using Vicreg.Training.Sources;

namespace Vicreg.Tooling.Ablations;

/// <summary>
/// Runs every point of a grid in turn (each a normal pretraining run with a linear probe, then kNN), and
/// writes &lt;runs_dir&gt;/&lt;grid&gt;/results.csv (one row per point, appended as each finishes), results.md
/// (the paper's layout) and results.png. Resumable: points already in results.csv (done or refused) are
/// skipped, and an interrupted point resumes from its own checkpoint. A point whose config cannot work
/// (BYOL with unshared branches, …) becomes a row "refused: &lt;reason&gt;" instead of stopping the grid.
/// </summary>
public static class AblationRunner
{
    public static string ResultsCsv(AblationGrid grid) => Path.Combine(grid.Folder, "results.csv");

    public static IReadOnlyList<AblationResult> Run(AblationGrid grid, Func<AblationPoint, int, int, ITrainingObserver> observerFor,
        Action<string> info, CancellationToken stop = default)
    {
        Directory.CreateDirectory(grid.Folder);
        var done = ReadResults(grid).Where(r => r.Done).ToDictionary(r => r.Point);
        var results = new List<AblationResult>();
        var points = grid.Points();
        RewriteCsv(grid, done.Values);
        for (int i = 0; i < points.Count; i++)
        {
            var point = points[i];
            if (done.TryGetValue(point.Key, out var previous))
            {
                info($"[{i + 1}/{points.Count}] {point.Key}: already in results.csv ({previous.Status}), skipped");
                results.Add(previous);
                continue;
            }
            var result = RunPoint(grid, point, observerFor(point, i, points.Count), info, stop);
            info($"[{i + 1}/{points.Count}] {point.Key}: {Describe(result)}");
            results.Add(result);
            File.AppendAllText(ResultsCsv(grid), result.ToCsv() + "\n");
        }
        AblationReport.Write(grid, results);
        return results;
    }

    public static string Describe(AblationResult r) => r.Status != "ok" ? r.Status :
        string.Create(CultureInfo.InvariantCulture, $"linear top-1 {r.LinearTop1:F1}%, kNN top-1 {r.KnnTop1:F1}%, collapse {r.CollapseState} (mean std {r.MeanStd:F3}, RankMe {r.RankMe:F2}), {r.Seconds:F0} s");

    static AblationResult RunPoint(AblationGrid grid, AblationPoint point, ITrainingObserver observer, Action<string> info, CancellationToken stop)
    {
        ExperimentConfig c;
        try { c = grid.ConfigOf(point); }
        catch (ConfigException e)
        {
            // "file [point]: field: problem" → "refused: field: problem"
            return Refused(point, $"refused: {e.Field}: {e.Problem}");
        }
        var clock = Stopwatch.StartNew();
        PretrainOutcome outcome;
        try { outcome = PretrainJob.Run(c, observer, stop, PngRunCharts.Instance); }
        catch (TrainingDivergedException e)
        {
            // Unstable settings are results too (the paper's Table 7): the row says where it diverged.
            return new AblationResult(point.Key, point.Labels, $"diverged: {e.Message}", double.NaN, double.NaN, "", double.NaN, double.NaN,
                clock.Elapsed.TotalSeconds, RunFolder.For(c.Output.RunsDir, c.Name).Root);
        }
        double linear = outcome.Probes.FirstOrDefault(p => !p.Backbone.StartsWith("random-init", StringComparison.Ordinal))?.Top1 ?? double.NaN;
        double randomInit = outcome.Probes.FirstOrDefault(p => p.Backbone.StartsWith("random-init", StringComparison.Ordinal))?.Top1 ?? double.NaN;
        double knn = double.NaN;
        int classes = 0;
        var device = DeviceResolver.Resolve(c.Device);
        using (var model = EvaluationModel.Load(c, outcome.Run, device, null, info))
        {
            using var data = RunData.Prepare(c, info);
            classes = data.Splits.Classes.Count;
            if (data.Splits.HeldOut is not null)
                knn = KnnEvalJob.Run(c, outcome.Run, model.Model, model.Step, model.Tag, device, data,
                    new KnnOptions(c.Eval.KnnK, c.Eval.KnnTemperature), info)[0].Top1;
        }
        var (state, meanStd, rankMe) = LastDiagnostics(outcome.Run);
        return new AblationResult(point.Key, point.Labels, "ok", linear, knn, state, meanStd, rankMe, clock.Elapsed.TotalSeconds, outcome.Run.Root,
            randomInit, classes);
    }

    static AblationResult Refused(AblationPoint point, string reason) =>
        new(point.Key, point.Labels, reason, double.NaN, double.NaN, "", double.NaN, double.NaN, 0, "");

    /// <summary>The worst collapse state over the branches at the last epoch of diagnostics.csv, with branch A's
    /// mean std and RankMe; ("", NaN, NaN) without diagnostics.</summary>
    public static (string State, double MeanStd, double RankMe) LastDiagnostics(RunFolder run)
    {
        var path = DiagnosticsHook.DiagnosticsPath(run);
        if (!File.Exists(path)) return ("", double.NaN, double.NaN);
        var lines = File.ReadAllLines(path);
        if (lines.Length < 2) return ("", double.NaN, double.NaN);
        var header = lines[0].Split(',');
        int Col(string n) => Array.IndexOf(header, n);
        var rows = lines.Skip(1).Select(l => l.Split(',')).Where(f => f.Length == header.Length).ToList();
        if (rows.Count == 0) return ("", double.NaN, double.NaN);
        string lastEpoch = rows[^1][Col("epoch")];
        var last = rows.Where(f => f[Col("epoch")] == lastEpoch).ToList();
        string[] order = { "none", "partial", "complete" };
        string state = last.Select(f => f[Col("state")]).OrderBy(s => Array.IndexOf(order, s)).Last();
        double P(string s) => double.Parse(s, CultureInfo.InvariantCulture);
        return (state, P(last[0][Col("mean_std")]), P(last[0][Col("rankme")]));
    }

    public static IReadOnlyList<AblationResult> ReadResults(AblationGrid grid)
    {
        var path = ResultsCsv(grid);
        if (!File.Exists(path)) return Array.Empty<AblationResult>();
        return File.ReadAllLines(path).Skip(1).Select(l => AblationResult.Parse(l, grid.Axes.Count)).OfType<AblationResult>().ToList();
    }

    /// <summary>Rewrites results.csv with the header and the finished rows only (a row cut off by a crash goes).</summary>
    static void RewriteCsv(AblationGrid grid, IEnumerable<AblationResult> rows)
    {
        var tmp = ResultsCsv(grid) + ".tmp";
        File.WriteAllLines(tmp, new[] { AblationResult.Header(grid.Axes.Select(a => a.Name)) }.Concat(rows.Select(r => r.ToCsv())));
        File.Move(tmp, ResultsCsv(grid), overwrite: true);
    }
}
