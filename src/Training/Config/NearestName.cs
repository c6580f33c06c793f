namespace Vicreg.Training.Config;

/// <summary>The known name closest to a misspelt one (Levenshtein distance), for "did you mean …?" hints.</summary>
public static class NearestName
{
    /// <summary>The nearest of <paramref name="known"/>, or null when none is plausibly what was meant
    /// (more edits than half the typed name, so "foo" suggests nothing rather than a random field).</summary>
    public static string? Of(string typed, IEnumerable<string> known)
    {
        string? best = null;
        (int Loose, int Exact) bestDistance = (int.MaxValue, int.MaxValue);
        foreach (var name in known)
        {
            // Case and separators count for nothing ("batchSize", "gain" for gain_db); the exact distance breaks ties.
            var d = (Distance(Loose(typed), Loose(name)), Distance(typed, name));
            if (d.CompareTo(bestDistance) < 0) (best, bestDistance) = (name, d);
        }
        return bestDistance.Loose <= Math.Max(2, Loose(typed).Length / 2) ? best : null;
    }

    private static string Loose(string name) => name.Replace("_", "").Replace("-", "").ToLowerInvariant();

    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    /// <summary>"; did you mean x?" or "; known: a, b, c" when nothing is close.</summary>
    public static string Hint(string typed, IReadOnlyCollection<string> known) =>
        Of(typed, known) is { } near ? $"; did you mean {near}?" : $"; known: {string.Join(", ", known)}";
}
