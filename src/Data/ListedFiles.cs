namespace Vicreg.Data;

/// <summary>The samples of a list (a manifest, ESC-50's meta file) whose files exist. A missing file is left out
/// with one line (the first five, then a count), so one absent clip never ends a run; none at all is an error.</summary>
public static class ListedFiles
{
    public static List<Sample> Existing(IEnumerable<Sample> listed, string source, Action<string>? log)
    {
        var samples = new List<Sample>();
        int missing = 0, total = 0;
        foreach (var s in listed)
        {
            total++;
            if (File.Exists(s.Path)) { samples.Add(s); continue; }
            if (missing++ < 5) log?.Invoke($"{s.Path}: listed in {source} but missing; left out");
        }
        if (missing > 5) log?.Invoke($"{missing} files listed in {source} are missing in total; left out");
        if (samples.Count == 0) throw new InvalidDataException($"{source}: none of the {total} listed files exists");
        return samples;
    }
}
