namespace Vicreg.Data.Audio;

/// <summary>A folder per class: <c>root/&lt;class&gt;/**/*.wav</c>. Classes and files in ordinal order.</summary>
public static class AudioFolderDataset
{
    public static SampleSet Load(string root)
    {
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root}: audio folder does not exist");
        var classDirs = Directory.GetDirectories(root).OrderBy(d => Path.GetFileName(d), StringComparer.Ordinal).ToArray();
        if (classDirs.Length == 0) throw new InvalidDataException($"{root}: no class subfolders (expected one subfolder of .wav files per class)");
        var samples = new List<Sample>();
        for (int label = 0; label < classDirs.Length; label++)
            samples.AddRange(Directory.EnumerateFiles(classDirs[label], "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".wav", StringComparison.OrdinalIgnoreCase))
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => new Sample(f, label)));
        if (samples.Count == 0) throw new InvalidDataException($"{root}: {classDirs.Length} class folders but no .wav files in them");
        return new SampleSet(samples, classDirs.Select(d => Path.GetFileName(d)!).ToList(), root);
    }
}
