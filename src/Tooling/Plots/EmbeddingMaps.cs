using System.Runtime.InteropServices;
using TorchSharp;
using Vicreg.Training.Config;
using Vicreg.Training.Evaluation;
using Vicreg.Training.Runs;
using static TorchSharp.torch;

namespace Vicreg.Tooling.Plots;

/// <summary>
/// The embedding map of each probed backbone: its held-out features projected to 2-D (PCA always, exact t-SNE
/// up to <see cref="EmbeddingProjection.TsneMaxPoints"/> points), coloured by class, in plots/embedding-&lt;tag&gt;.png
/// (the tag is the probe row's backbone name). The features are cached in eval/features-map-&lt;tag&gt;.bin
/// (a <see cref="FeatureSet"/> of at most <see cref="MaxPoints"/> rows; the class names beside it in
/// features-map-&lt;tag&gt;.classes.txt), so <c>vicreg plot</c> redraws the maps.
/// </summary>
public static class EmbeddingMaps
{
    /// <summary>More held-out points than this are thinned, evenly over the set, for the map alone.</summary>
    public const int MaxPoints = 5000;

    public static string CachePath(RunFolder run, string tag) => Path.Combine(run.EvalDir, $"{CachePrefix}{tag}.bin");
    public static string PlotPath(RunFolder run, string tag) => Path.Combine(run.PlotsDir, $"embedding-{tag}.png");
    private const string CachePrefix = "features-map-";

    /// <summary>Where a probe finishes: caches the held-out features and, with output.plots, draws the map.
    /// A map that cannot be drawn is reported and never ends the evaluation.</summary>
    public static string? AfterProbe(ExperimentConfig c, RunFolder run, string tag, FeatureSet heldOut, IReadOnlyList<string> classes, Action<string> info)
    {
        try
        {
            Save(CachePath(run, tag), heldOut, classes);
            return c.Output.Plots ? Draw(run, tag, info) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ExternalException or ArgumentException)
        {
            info($"embedding map ({tag}): not drawn: {e.Message}");
            return null;
        }
    }

    /// <summary>Redraws the map of every cached backbone of the run (vicreg plot).</summary>
    public static IReadOnlyList<string> Redraw(RunFolder run, Action<string> info) =>
        Directory.Exists(run.EvalDir)
            ? Directory.GetFiles(run.EvalDir, CachePrefix + "*.bin").Order(StringComparer.Ordinal)
                .Select(f => Draw(run, Path.GetFileNameWithoutExtension(f)[CachePrefix.Length..], info)).ToList()
            : new List<string>();

    private static string Draw(RunFolder run, string tag, Action<string> info)
    {
        var (set, classes) = Load(CachePath(run, tag));
        using (set)
        using (var scope = NewDisposeScope())
        {
            var (pca, explained) = EmbeddingProjection.Pca(set.Features);
            var panels = new List<EmbeddingPlot.Panel>
            {
                new($"PCA ({100 * explained.Sum():F0}% of the variance)", "PC 1", "PC 2", pca, EmbeddingProjection.NeighbourAccuracy(pca, set.Labels)),
            };
            if (set.Count <= EmbeddingProjection.TsneMaxPoints && set.Count >= 4)
            {
                var options = new TsneOptions(Perplexity: Math.Min(30, (set.Count - 1) / 3.0));
                var tsne = EmbeddingProjection.Tsne(set.Features, options);
                panels.Add(new($"t-SNE (exact, perplexity {options.Perplexity:G3})", "t-SNE 1", "t-SNE 2", tsne, EmbeddingProjection.NeighbourAccuracy(tsne, set.Labels)));
            }
            string path = EmbeddingPlot.Save(PlotPath(run, tag), $"{tag}: {set.Count} held-out points, {set.Dim}-d features", panels, set.Labels, classes);
            info($"embedding map ({tag}): " + string.Join(", ", panels.Select(p => $"{p.Title.Split(' ')[0]} 5-NN accuracy {p.NeighbourAccuracy:F1}%")) + $" -> {path}");
            return path;
        }
    }

    private static void Save(string path, FeatureSet heldOut, IReadOnlyList<string> classes)
    {
        if (heldOut.Count <= MaxPoints) heldOut.Save(path);
        else
            using (var thinned = heldOut.Select(Enumerable.Range(0, MaxPoints).Select(i => (long)i * heldOut.Count / MaxPoints).ToArray()))
                thinned.Save(path);
        File.WriteAllLines(ClassesPath(path), classes);
    }

    private static (FeatureSet Set, IReadOnlyList<string> Classes) Load(string path)
    {
        var classes = File.Exists(ClassesPath(path)) ? File.ReadAllLines(ClassesPath(path)) : Array.Empty<string>();
        return (FeatureSet.Load(path), classes);
    }

    /// <summary>The class names beside the cache, one a line (label k on line k).</summary>
    private static string ClassesPath(string cachePath) => Path.ChangeExtension(cachePath, ".classes.txt");
}
