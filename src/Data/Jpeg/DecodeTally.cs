using System.Collections.Concurrent;
using System.Globalization;

namespace Vicreg.Data.Jpeg;

/// <summary>
/// How a loader's images were decoded: TurboJPEG decodes per DCT scale, and ImageSharp decodes. It lets a run say
/// which path data.decode took (a fast run on files too small for any reduced scale decodes everything at 1/1), so
/// the claim "fast decoding ran" is read from the log, not assumed. Thread-safe.
/// </summary>
public sealed class DecodeTally
{
    private readonly ConcurrentDictionary<(int Num, int Denom), long> _turbo = new();
    private long _imageSharp;

    public void CountTurbo((int Num, int Denom) scale) => _turbo.AddOrUpdate(scale, 1, (_, n) => n + 1);

    public void CountImageSharp() => Interlocked.Increment(ref _imageSharp);

    /// <summary>TurboJPEG decodes per scale, smallest scale first.</summary>
    public IReadOnlyList<((int Num, int Denom) Scale, long Count)> Turbo =>
        _turbo.OrderBy(p => (double)p.Key.Num / p.Key.Denom).Select(p => (p.Key, p.Value)).ToArray();

    public long TurboTotal => _turbo.Values.Sum();

    public long ImageSharp => Interlocked.Read(ref _imageSharp);

    /// <summary>The counts of several tallies together (the readers of one run).</summary>
    public static DecodeTally Sum(IEnumerable<DecodeTally> tallies)
    {
        var sum = new DecodeTally();
        foreach (var t in tallies)
        {
            foreach (var (scale, n) in t.Turbo) sum._turbo.AddOrUpdate(scale, n, (_, m) => m + n);
            sum._imageSharp += t.ImageSharp;
        }
        return sum;
    }

    /// <summary>"image decodes: 9,000 by TurboJPEG (at scale 1/4: 7,000, 1/2: 2,000), 12 by ImageSharp", or null when nothing was decoded.</summary>
    public string? Summary()
    {
        long turbo = TurboTotal, sharp = ImageSharp;
        if (turbo == 0 && sharp == 0) return null;
        string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
        string scales = string.Join(", ", Turbo.Select(t => $"{t.Scale.Num}/{t.Scale.Denom}: {N(t.Count)}"));
        return $"image decodes: {N(turbo)} by TurboJPEG" + (turbo > 0 ? $" (at scale {scales})" : "") + $", {N(sharp)} by ImageSharp";
    }
}
