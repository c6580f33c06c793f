using System.Globalization;
using System.Text;
using ScottPlot;

namespace Vicreg.Tooling.Plots;

/// <summary>
/// Per-class accuracy and the confusion matrix of one probe on the held-out data (linear-eval --per-class):
/// per_class_&lt;backbone&gt;.csv, confusion_&lt;backbone&gt;.csv (rows: true class, columns: predicted) and
/// confusion_&lt;backbone&gt;.png, a heatmap of each true class's row in percent.
/// </summary>
public static class PerClassReport
{
    public sealed record Files(string PerClassCsv, string ConfusionCsv, string ConfusionPng);

    /// <summary>Counts [true, predicted].</summary>
    public static long[,] Confusion(IReadOnlyList<long> labels, IReadOnlyList<long> predictions, int classes)
    {
        var m = new long[classes, classes];
        for (int i = 0; i < labels.Count; i++) m[labels[i], predictions[i]]++;
        return m;
    }

    public static Files Write(string folder, string backbone, IReadOnlyList<string> classes, IReadOnlyList<long> labels, IReadOnlyList<long> predictions)
    {
        int k = classes.Count;
        var m = Confusion(labels, predictions, k);
        Directory.CreateDirectory(folder);
        var files = new Files(Path.Combine(folder, $"per_class_{backbone}.csv"), Path.Combine(folder, $"confusion_{backbone}.csv"), Path.Combine(folder, $"confusion_{backbone}.png"));

        var perClass = new StringBuilder("class,held_out,correct,accuracy_percent\n");
        for (int c = 0; c < k; c++)
        {
            long n = Enumerable.Range(0, k).Sum(p => m[c, p]);
            perClass.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{Csv(classes[c])},{n},{m[c, c]},{(n == 0 ? double.NaN : 100.0 * m[c, c] / n):F1}"));
        }
        File.WriteAllText(files.PerClassCsv, perClass.ToString());

        var confusion = new StringBuilder("true\\predicted," + string.Join(",", classes.Select(Csv)) + "\n");
        for (int c = 0; c < k; c++)
            confusion.AppendLine(Csv(classes[c]) + "," + string.Join(",", Enumerable.Range(0, k).Select(p => m[c, p].ToString(CultureInfo.InvariantCulture))));
        File.WriteAllText(files.ConfusionCsv, confusion.ToString());

        Heatmap(files.ConfusionPng, backbone, classes, m);
        return files;
    }

    private static void Heatmap(string path, string backbone, IReadOnlyList<string> classes, long[,] m)
    {
        int k = classes.Count;
        // Row-normalised (each true class sums to 100%), drawn with the first true class at the top.
        var share = new double[k, k];
        for (int c = 0; c < k; c++)
        {
            double n = Enumerable.Range(0, k).Sum(p => (double)m[c, p]);
            for (int p = 0; p < k; p++) share[c, p] = n == 0 ? double.NaN : 100.0 * m[c, p] / n;
        }
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(share);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.ManualRange = new ScottPlot.Range(0, 100);
        plot.Add.ColorBar(heatmap).Label = "% of the true class";
        var ticks = Enumerable.Range(0, k).Select(i => (double)i).ToArray();
        var names = classes.Select(n => n.Length > 14 ? n[..13] + "…" : n).ToArray();
        plot.Axes.Bottom.SetTicks(ticks, names);
        plot.Axes.Left.SetTicks(ticks, names.Select((_, i) => names[k - 1 - i]).ToArray());
        if (k <= 20)
            for (int c = 0; c < k; c++)
                for (int p = 0; p < k; p++)
                    if (!double.IsNaN(share[c, p]) && share[c, p] >= 0.5)
                    {
                        var label = plot.Add.Text(share[c, p].ToString("F0", CultureInfo.InvariantCulture), p, k - 1 - c);
                        label.LabelFontColor = share[c, p] > 60 ? Colors.Black : Colors.White;
                        label.LabelAlignment = Alignment.MiddleCenter;
                    }
        plot.Title($"Linear probe on held-out data: {backbone}");
        plot.XLabel("predicted class");
        plot.YLabel("true class");
        int side = Math.Clamp(60 + 40 * k, 480, 1400);
        string tmp = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + ".tmp.png");
        plot.SavePng(tmp, side + 160, side);
        File.Move(tmp, path, overwrite: true);
    }

    private static string Csv(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
