using ScottPlot;
using static TorchSharp.torch;

namespace Vicreg.Tooling.Plots;

/// <summary>Draws 2-D maps side by side (ScottPlot), one colour per class, with the map's neighbour accuracy in its title.</summary>
public static class EmbeddingPlot
{
    /// <summary>One map: coordinates [N, 2] and the leave-one-out 5-NN accuracy (%) of its classes.</summary>
    public sealed record Panel(string Title, string XLabel, string YLabel, Tensor Coordinates, double NeighbourAccuracy);

    private const int PanelWidth = 620, LegendWidth = 160, Height = 640;
    /// <summary>A legend of more classes than this would hide the map.</summary>
    private const int MaxLegendClasses = 20;

    public static string Save(string path, string heading, IReadOnlyList<Panel> panels, Tensor labels, IReadOnlyList<string> classes)
    {
        var y = labels.to_type(ScalarType.Int64).cpu().data<long>().ToArray();
        int classCount = Math.Max(classes.Count, y.Length == 0 ? 0 : (int)y.Max() + 1);
        var palette = new ScottPlot.Palettes.Category10();
        // A new Multiplot holds one plot already: the first panel draws into it.
        var multiplot = new Multiplot();
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        for (int p = 0; p < panels.Count; p++)
        {
            var panel = panels[p];
            var plot = p == 0 ? multiplot.GetPlot(0) : multiplot.AddPlot();
            bool legend = p == panels.Count - 1 && classCount <= MaxLegendClasses;
            var xy = panel.Coordinates.to_type(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
            for (int k = 0; k < classCount; k++)
            {
                var rows = Enumerable.Range(0, y.Length).Where(i => y[i] == k).ToArray();
                if (rows.Length == 0) continue;
                var markers = plot.Add.Markers(rows.Select(i => xy[2 * i]).ToArray(), rows.Select(i => xy[2 * i + 1]).ToArray(),
                    MarkerShape.FilledCircle, 5, palette.GetColor(k).WithAlpha(0.8));
                if (legend) markers.LegendText = k < classes.Count ? classes[k] : $"class {k}";
            }
            plot.Title($"{panel.Title}\n5-NN accuracy in the map: {panel.NeighbourAccuracy:F1}%", 14);
            plot.XLabel(panel.XLabel);
            plot.YLabel(panel.YLabel);
            plot.Axes.SquareUnits();
            if (legend) plot.ShowLegend(Edge.Right);
        }
        multiplot.GetPlot(0).Title($"{heading}\n{panels[0].Title}\n5-NN accuracy in the map: {panels[0].NeighbourAccuracy:F1}%", 14);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string tmp = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + ".tmp.png");
        multiplot.SavePng(tmp, PanelWidth * panels.Count + (classCount <= MaxLegendClasses ? LegendWidth : 0), Height);
        File.Move(tmp, path, overwrite: true);
        return path;
    }
}
