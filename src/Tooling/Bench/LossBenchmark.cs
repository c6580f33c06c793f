using System.Diagnostics;
using System.Globalization;
using Vicreg.Core;
using Vicreg.Losses;
using static TorchSharp.torch;

namespace Vicreg.Tooling.Bench;

/// <summary>Medians of the full VICReg loss, forward + backward, in each covariance form.</summary>
public sealed record LossBenchResult(int N, int D, int Repeats, double GramSeconds, double FeatureSeconds, double MaxGradRelDiff, int Threads)
{
    public double Speedup => FeatureSeconds / GramSeconds;
}

/// <summary>
/// Times VICReg's loss (both branches, all terms) forward and backward at [N, D], with the covariance
/// computed in the Gram (N×N) form and in the D×D form of the official code, and checks that the two
/// forms give the same gradient.
/// </summary>
public static class LossBenchmark
{
    public static LossBenchResult Run(int n, int d, int repeats, Action<string> print, Device? device = null)
    {
        if (n < 2 || d < 1 || repeats < 1) throw new ArgumentException("need --n ≥ 2, --d ≥ 1, --repeats ≥ 1");
        var on = device ?? CPU;
        bool gpu = on.type == TorchSharp.DeviceType.CUDA;
        manual_seed(0);
        using var z1 = randn(n, d).to(on);
        using var noise = randn(n, d).to(on);
        using var z2 = z1.Plus(noise.Times(0.5));
        print($"VICReg loss fwd+bwd at N={n}, D={d}, {(gpu ? on.ToString() : $"{get_num_threads()} threads")}, median of {repeats}");

        (double Seconds, Tensor Grad) Time(CovarianceForm form)
        {
            var loss = new VicRegLoss(new VicRegOptions(Form: form));
            var times = new List<double>();
            Tensor grad = null!;
            for (int r = 0; r < repeats + (form == CovarianceForm.Gram ? 1 : 0); r++) // one warm-up for the cheap form
            {
                using var scope = NewDisposeScope();
                var a = z1.detach().requires_grad_();
                var b = z2.detach().requires_grad_();
                var clock = Stopwatch.StartNew();
                using var terms = loss.Compute(a, b);
                terms.Total.backward();
                if (gpu) cuda.synchronize(on); // GPU work is asynchronous: time it to completion
                double s = clock.Elapsed.TotalSeconds;
                if (form == CovarianceForm.Gram && r == 0) continue;
                times.Add(s);
                grad?.Dispose();
                grad = a.grad!.detach().clone().MoveToOuterDisposeScope();
            }
            times.Sort();
            double median = times[times.Count / 2];
            print($"  {form,-8} {median * 1000,10:F1} ms   (runs: {string.Join(", ", times.Select(t => (t * 1000).ToString("F0", CultureInfo.InvariantCulture)))} ms)");
            return (median, grad);
        }

        var gram = Time(CovarianceForm.Gram);
        var feature = Time(CovarianceForm.Feature);
        double scale = feature.Grad.abs().max().item<float>();
        double diff = gram.Grad.Minus(feature.Grad).abs().max().item<float>() / scale;
        gram.Grad.Dispose();
        feature.Grad.Dispose();
        var result = new LossBenchResult(n, d, repeats, gram.Seconds, feature.Seconds, diff, get_num_threads());
        print($"  speed-up of the Gram form: {result.Speedup:F1}×   (max |Δgrad| / max |grad| = {diff:E2})");
        return result;
    }

    public static void AppendCsv(string path, LossBenchResult r)
    {
        bool header = !File.Exists(path);
        using var w = new StreamWriter(path, append: true);
        if (header) w.WriteLine("n,d,repeats,threads,gram_s,feature_s,speedup,max_grad_rel_diff");
        w.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{r.N},{r.D},{r.Repeats},{r.Threads},{r.GramSeconds:G6},{r.FeatureSeconds:G6},{r.Speedup:G4},{r.MaxGradRelDiff:G3}"));
    }
}

/// <summary>PyTorch's medians for one (N, D), both forms (bench/reference/loss_bench.py).</summary>
public sealed record LossReferenceResult(int N, int D, double GramSeconds, double FeatureSeconds);

/// <summary>
/// The loss benchmark over a grid of N and D: where the Gram form wins (N &lt; D) and where the D×D form
/// does, with the PyTorch reference at each point when it is installed.
/// </summary>
public static class LossSweep
{
    public static readonly int[] DefaultNs = { 64, 256, 1024 };
    public static readonly int[] DefaultDs = { 256, 1024, 2048 };

    public static IReadOnlyList<LossBenchResult> Run(IReadOnlyList<int> ns, IReadOnlyList<int> ds, int repeats, Action<string> print, Device? device = null)
    {
        var results = new List<LossBenchResult>();
        foreach (var n in ns)
            foreach (var d in ds)
                results.Add(LossBenchmark.Run(n, d, repeats, print, device));
        return results;
    }

    /// <summary>PyTorch's figures for the same grid, at <paramref name="threads"/> threads, or the reason they are missing.</summary>
    public static (IReadOnlyList<LossReferenceResult>? Results, string? WhyNot) Reference(IReadOnlyList<int> ns, IReadOnlyList<int> ds, int repeats, int threads,
        string device = "cpu")
    {
        var (lines, why) = PyTorchReference.Run("loss_bench.py", new[]
        {
            "--ns", string.Join(",", ns), "--ds", string.Join(",", ds), "--repeats", $"{repeats}", "--threads", $"{threads}", "--device", device,
        }, TimeSpan.FromMinutes(30));
        if (lines is null) return (null, why);
        var rows = lines.Select(l => l.Split(',')).Where(f => f.Length == 5 && f[0] is "gram" or "feature")
            .Select(f => (Form: f[0], N: int.Parse(f[1], CultureInfo.InvariantCulture), D: int.Parse(f[2], CultureInfo.InvariantCulture), S: double.Parse(f[4], CultureInfo.InvariantCulture)))
            .ToList();
        var results = rows.GroupBy(r => (r.N, r.D))
            .Select(g => new LossReferenceResult(g.Key.N, g.Key.D, g.First(r => r.Form == "gram").S, g.First(r => r.Form == "feature").S))
            .ToList();
        return results.Count == ns.Count * ds.Count ? (results, null) : (null, "the PyTorch reference printed an incomplete grid");
    }

    /// <summary>One row per (N, D): our two forms, PyTorch's two forms (empty when not run) and the ratios.</summary>
    public static void WriteCsv(string path, IReadOnlyList<LossBenchResult> ours, IReadOnlyList<LossReferenceResult>? reference)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } dir) Directory.CreateDirectory(dir);
        using var w = new StreamWriter(path);
        w.WriteLine("n,d,threads,auto_form,gram_s,feature_s,gram_speedup,pytorch_gram_s,pytorch_feature_s,ours_auto_vs_pytorch_official");
        foreach (var r in ours)
        {
            var p = reference?.FirstOrDefault(x => x.N == r.N && x.D == r.D);
            double auto = AutoSeconds(r);
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.N},{r.D},{r.Threads},{VicRegLoss.Resolve(CovarianceForm.Auto, r.N, r.D).ToString().ToLowerInvariant()},{r.GramSeconds:G6},{r.FeatureSeconds:G6},{r.Speedup:G4}," +
                $"{(p is null ? "" : p.GramSeconds.ToString("G6", CultureInfo.InvariantCulture))},{(p is null ? "" : p.FeatureSeconds.ToString("G6", CultureInfo.InvariantCulture))}," +
                $"{(p is null ? "" : (p.FeatureSeconds / auto).ToString("G4", CultureInfo.InvariantCulture))}"));
        }
    }

    /// <summary>The time of the form our loss picks by default at this (N, D).</summary>
    public static double AutoSeconds(LossBenchResult r) =>
        VicRegLoss.Resolve(CovarianceForm.Auto, r.N, r.D) == CovarianceForm.Gram ? r.GramSeconds : r.FeatureSeconds;
}
