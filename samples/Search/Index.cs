/// <summary>The files of one modality under a folder, each with its class (its folder's name) and its normalised
/// embedding. A file that cannot be read is skipped with one line naming it, and counted.</summary>
sealed class Index
{
    private readonly List<(string File, string Class, float[] Embedding)> entries;

    private Index(List<(string, string, float[])> entries) => this.entries = entries;

    public int Count => entries.Count;

    public static Index Build(string folder, string extension, Func<string, float[]> prepare, OnnxEncoder model)
    {
        var files = Directory.GetFiles(folder, "*" + extension, SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var kept = new List<string>();
        var inputs = new List<float[]>();
        foreach (var f in files)
        {
            try { inputs.Add(prepare(f)); kept.Add(f); }
            catch (Exception e) when (e is InvalidDataException or IOException or EndOfStreamException)
            {
                Console.Error.WriteLine($"skipped {f}: {e.Message}");
            }
        }
        if (kept.Count < files.Count) Console.Error.WriteLine($"{folder}: {files.Count - kept.Count} of {files.Count} {extension} files skipped");
        if (kept.Count == 0) throw new InvalidDataException($"{folder}: no readable {extension} files");
        var embeddings = model.Embed(inputs);
        return new Index(kept.Select((f, i) => (f, Path.GetFileName(Path.GetDirectoryName(f)) ?? "", embeddings[i])).ToList());
    }

    public IEnumerable<(string File, float Score)> Nearest(float[] query, int k) =>
        entries.Select(e => (e.File, Score: Dot(query, e.Embedding))).OrderByDescending(h => h.Score).Take(k);

    /// <summary>How often the nearest entry of <paramref name="target"/> has the query's class, and the rate a random
    /// pick would reach (Σ over classes of the query share × the target share).</summary>
    public (double Rate, double Chance) TopOneClassHitRate(Index target)
    {
        int hits = entries.Count(q => target.entries.MaxBy(t => Dot(q.Embedding, t.Embedding)).Class == q.Class);
        var targetShare = target.entries.GroupBy(t => t.Class).ToDictionary(g => g.Key, g => (double)g.Count() / target.Count);
        double chance = entries.GroupBy(q => q.Class).Sum(g => (double)g.Count() / Count * targetShare.GetValueOrDefault(g.Key));
        return ((double)hits / Count, chance);
    }

    private static float Dot(float[] a, float[] b)
    {
        float s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
