namespace Vicreg.Data.Audio;

/// <summary>
/// The ESC-50 layout (github.com/karolpiczak/ESC-50): <c>audio/*.wav</c> and <c>meta/esc50.csv</c> with the
/// columns filename, fold, target, category (others are ignored). 2,000 five-second clips, 50 classes,
/// 5 folds. The paper's 1600/400 split holds out one fold (fold 5 by default here, configurable); 5-fold
/// cross-validation holds out each fold in turn.
/// </summary>
public static class Esc50Dataset
{
    public const string MetaFile = "meta/esc50.csv";

    /// <summary>Reads <paramref name="root"/>/meta/esc50.csv. Errors name the file, the line and the field.
    /// Rows whose audio file is missing are left out and reported through <paramref name="log"/>.</summary>
    public static SampleSet Load(string root, Action<string>? log = null)
    {
        string meta = Path.Combine(root, MetaFile);
        if (!File.Exists(meta))
            throw new FileNotFoundException($"{meta}: not found (the ESC-50 layout is audio/*.wav and meta/esc50.csv)");
        var table = ManifestTable.Read(meta, ["filename", "fold", "target", "category"], "filename,fold,target,category,...");
        var rows = table.Rows.Select(r => (Filename: r.Text("filename"), Fold: r.Integer("fold"), Target: r.Integer("target"), Category: r.Text("category"))).ToList();
        // Class names ordered by ESC-50's own target index, so labels equal the CSV's targets.
        var classes = rows.GroupBy(r => r.Target).OrderBy(g => g.Key).Select(g => g.First().Category).ToList();
        var byTarget = rows.Select(r => r.Target).Distinct().Order().ToList();
        var listed = rows.Select(r => new Sample(Path.Combine(root, "audio", r.Filename), byTarget.IndexOf(r.Target), r.Fold));
        var samples = ListedFiles.Existing(listed, table.File, log);
        return new SampleSet(samples, classes, meta);
    }
}
