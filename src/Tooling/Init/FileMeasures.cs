namespace Vicreg.Tooling.Init;

/// <summary>What the inspected files' headers said; filled from several threads.</summary>
public sealed class FileMeasures
{
    private readonly object gate = new();
    private readonly List<(int Width, int Height)> sizes = new();
    private readonly List<double> seconds = new();
    private readonly List<int> rates = new();

    public void Image(int width, int height)
    {
        lock (gate) sizes.Add((width, height));
    }

    public void Clip(double clipSeconds, int sampleRate)
    {
        lock (gate) { seconds.Add(clipSeconds); rates.Add(sampleRate); }
    }

    public IReadOnlyList<(int Width, int Height)> ImageSizes => sizes;
    public IReadOnlyList<double> ClipSeconds => seconds;

    /// <summary>The most common sample rate of the clips (0: none).</summary>
    public int SampleRate => rates.Count == 0 ? 0 : rates.GroupBy(r => r).OrderByDescending(g => g.Count()).First().Key;
}
