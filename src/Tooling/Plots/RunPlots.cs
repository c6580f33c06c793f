using System.Globalization;
using ScottPlot;
using Vicreg.Training.Config;
using Vicreg.Training.Evaluation;
using Vicreg.Training.Methods;
using Vicreg.Training.Runs;

namespace Vicreg.Tooling.Plots;

/// <summary>
/// PNG plots of a run, drawn from its CSV files alone (so <c>vicreg plot</c> redraws them for any finished
/// or interrupted run): loss.png (the total and the method's weighted terms), lr.png, knn.png, spectrum.png
/// (singular values of the embeddings at a few epochs) and collapse.png (per-dimension std, dead fraction).
/// </summary>
public static class RunPlots
{
    private const int Width = 900, Height = 540;

    /// <summary>Draws every plot the run has data for into runs/&lt;name&gt;/plots/ and returns the files.</summary>
    public static IReadOnlyList<string> Draw(RunFolder run)
    {
        Directory.CreateDirectory(run.PlotsDir);
        var written = new List<string>();
        void Keep(string? file) { if (file is not null) written.Add(file); }
        var stats = File.Exists(run.StatsPath) ? StatsLog.Read(run.StatsPath) : new List<StepStats>();
        var config = TryConfig(run);
        Keep(Loss(run, stats, config is null ? null : MethodCatalog.Create(config)));
        Keep(Lr(run, stats));
        Keep(Knn(run));
        Keep(Spectrum(run));
        Keep(Collapse(run, (config?.Loss ?? new LossConfig()).Gamma));
        return written;
    }

    private static ExperimentConfig? TryConfig(RunFolder run)
    {
        try { return File.Exists(run.ConfigPath) ? ConfigLoader.LoadFile(run.ConfigPath) : null; }
        catch (ConfigException) { return null; }
    }

    private static string Save(Plot plot, RunFolder run, string name)
    {
        string path = Path.Combine(run.PlotsDir, name);
        string tmp = Path.Combine(run.PlotsDir, "." + name + ".tmp.png");
        plot.SavePng(tmp, Width, Height);
        File.Move(tmp, path, overwrite: true);
        return path;
    }

    private static void Line(Plot plot, double[] xs, double[] ys, string label, float width = 1.5f)
    {
        var s = plot.Add.Scatter(xs, ys);
        s.LegendText = label;
        s.MarkerSize = 0;
        s.LineWidth = width;
    }

    /// <summary>The total and each of the method's terms (the columns stats.csv has) times its weight in the total,
    /// the weights from the run's method (<see cref="IMethod.Terms"/>); 1 when the config cannot be read.</summary>
    private static string? Loss(RunFolder run, List<StepStats> stats, IMethod? method)
    {
        if (stats.Count == 0) return null;
        var plot = new Plot();
        var x = stats.Select(s => (double)s.Step).ToArray();
        Line(plot, x, stats.Select(s => s.Loss).ToArray(), "total");
        foreach (var (name, _) in stats[0].Terms)
        {
            double w = method?.Terms.FirstOrDefault(t => t.Name == name)?.Weight ?? 1.0;
            Line(plot, x, stats.Select(s => w * s.Term(name)).ToArray(), w == 1 ? name : $"{w:G}·{name}");
        }
        plot.Title($"{method?.Name ?? "method"} loss terms");
        plot.XLabel("step");
        plot.YLabel("loss");
        plot.ShowLegend(Edge.Right);
        return Save(plot, run, "loss.png");
    }

    private static string? Lr(RunFolder run, List<StepStats> stats)
    {
        if (stats.Count == 0) return null;
        var plot = new Plot();
        Line(plot, stats.Select(s => (double)s.Step).ToArray(), stats.Select(s => s.Lr).ToArray(), "lr");
        plot.Title("Learning rate");
        plot.XLabel("step");
        plot.YLabel("lr");
        return Save(plot, run, "lr.png");
    }

    private static double D(Dictionary<string, string> row, string key) => double.Parse(row[key], CultureInfo.InvariantCulture);

    private static string? Knn(RunFolder run)
    {
        var rows = EpochCsv.Read(KnnHook.KnnPath(run));
        if (rows.Count == 0) return null;
        var plot = new Plot();
        foreach (var group in rows.GroupBy(r => r["backbone"]))
        {
            var x = group.Select(r => D(r, "epoch") + 1).ToArray();
            Line(plot, x, group.Select(r => D(r, "top1")).ToArray(), $"top-1 ({group.Key})");
            Line(plot, x, group.Select(r => D(r, "top5")).ToArray(), $"top-5 ({group.Key})");
            var dots = plot.Add.Markers(x, group.Select(r => D(r, "top1")).ToArray());
            dots.MarkerSize = 6;
        }
        plot.Title($"kNN accuracy on held-out data (k={rows[0]["k"]})");
        plot.XLabel("epoch");
        plot.YLabel("accuracy %");
        plot.ShowLegend(Edge.Right);
        return Save(plot, run, "knn.png");
    }

    private static string? Spectrum(RunFolder run)
    {
        var rows = EpochCsv.Read(DiagnosticsHook.SpectrumPath(run)).Where(r => r["branch"] == "a").ToList();
        if (rows.Count == 0) return null;
        var epochs = rows.Select(r => int.Parse(r["epoch"], CultureInfo.InvariantCulture)).Distinct().Order().ToList();
        // Up to five epochs, spread from the first to the last.
        var shown = Enumerable.Range(0, Math.Min(5, epochs.Count))
            .Select(i => epochs[(int)Math.Round(i * (epochs.Count - 1) / Math.Max(1.0, Math.Min(5, epochs.Count) - 1))]).Distinct().ToList();
        var plot = new Plot();
        foreach (int e in shown)
        {
            var sv = rows.Where(r => r["epoch"] == e.ToString(CultureInfo.InvariantCulture)).Select(r => D(r, "singular_value")).ToArray();
            double top = sv.Max();
            if (!(top > 0)) continue;
            var y = sv.Select(s => Math.Log10(Math.Max(s / top, 1e-12))).ToArray();
            Line(plot, Enumerable.Range(1, sv.Length).Select(i => (double)i).ToArray(), y,
                $"epoch {e + 1} (RankMe {CollapseDiagnostics.RankMe(sv):F1})");
        }
        plot.Title("Singular-value spectrum of the embeddings (branch a)");
        plot.XLabel("index k");
        plot.YLabel("log10(σ_k / σ_1)");
        plot.ShowLegend(Edge.Right);
        return Save(plot, run, "spectrum.png");
    }

    private static string? Collapse(RunFolder run, double gamma)
    {
        var rows = EpochCsv.Read(DiagnosticsHook.DiagnosticsPath(run));
        if (rows.Count == 0) return null;
        var plot = new Plot();
        foreach (var group in rows.GroupBy(r => r["branch"]))
        {
            var x = group.Select(r => D(r, "epoch") + 1).ToArray();
            Line(plot, x, group.Select(r => D(r, "mean_std")).ToArray(), $"mean std ({group.Key})");
            Line(plot, x, group.Select(r => D(r, "min_std")).ToArray(), $"min std ({group.Key})");
            Line(plot, x, group.Select(r => D(r, "low_std_fraction")).ToArray(), $"fraction std < 0.1·γ ({group.Key})");
            Line(plot, x, group.Select(r => D(r, "mean_abs_correlation")).ToArray(), $"mean |corr| ({group.Key})");
        }
        var threshold = plot.Add.HorizontalLine(0.1 * gamma);
        threshold.LegendText = $"0.1·γ (γ={gamma:G})";
        threshold.LinePattern = LinePattern.Dashed;
        plot.Title("Collapse diagnostics of the embeddings");
        plot.XLabel("epoch");
        plot.YLabel("value");
        plot.ShowLegend(Edge.Right);
        return Save(plot, run, "collapse.png");
    }
}
