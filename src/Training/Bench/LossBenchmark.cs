using System.Diagnostics;
using System.Globalization;
using Vicreg.Core;
using Vicreg.Losses;
using static TorchSharp.torch;

namespace Vicreg.Training.Bench;

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
    public static LossBenchResult Run(int n, int d, int repeats, Action<string> print)
    {
        if (n < 2 || d < 1 || repeats < 1) throw new ArgumentException("need --n ≥ 2, --d ≥ 1, --repeats ≥ 1");
        manual_seed(0);
        using var z1 = randn(n, d);
        using var noise = randn(n, d);
        using var z2 = z1.Plus(noise.Times(0.5));
        print($"VICReg loss fwd+bwd at N={n}, D={d}, {get_num_threads()} threads, median of {repeats}");

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
