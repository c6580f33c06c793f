namespace Vicreg.Data;

/// <summary>
/// Derives independent, reproducible random streams from tuples of integers (seed, epoch, index, ...)
/// with a SplitMix64-style hash. Streams depend only on the tuple, never on thread timing or worker
/// count, which is what makes parallel data loading reproducible.
/// </summary>
public static class SeedMix
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>Hashes an ordered tuple of integers to 64 well-mixed bits. Order and length matter.</summary>
    public static ulong Mix(params long[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        // Length in the initial state keeps (a) and (a, 0) apart.
        ulong h = 0x6A09E667F3BCC909UL ^ (ulong)parts.Length;
        foreach (long p in parts)
        {
            h += Golden;
            h = Finalize(h ^ (ulong)p);
        }
        return h;
    }

    /// <summary>A <see cref="Random"/> seeded from <see cref="Mix"/>; the seeded legacy algorithm of
    /// <see cref="Random(int)"/> is stable across .NET versions.</summary>
    public static Random Rng(params long[] parts) => new(Seed32(parts));

    /// <summary>The 32-bit seed that <see cref="Rng"/> uses, folded from both halves of the hash.</summary>
    public static int Seed32(params long[] parts)
    {
        ulong h = Mix(parts);
        return unchecked((int)(h ^ (h >> 32)));
    }

    /// <summary>A Fisher–Yates permutation of 0..count-1 drawn from the stream of <paramref name="parts"/>
    /// (e.g. seed, epoch, a tag): an epoch's sample order, the same on every machine and worker count.</summary>
    public static int[] Permutation(int count, params long[] parts)
    {
        var perm = Enumerable.Range(0, count).ToArray();
        var rng = Rng(parts);
        for (int i = perm.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (perm[i], perm[j]) = (perm[j], perm[i]);
        }
        return perm;
    }

    /// <summary>SplitMix64 output function (Steele, Lea, Flood 2014).</summary>
    private static ulong Finalize(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
