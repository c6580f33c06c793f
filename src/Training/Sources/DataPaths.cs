using Vicreg.Training.Config;

namespace Vicreg.Training.Sources;

/// <summary>
/// Checks that every data path a config gives exists before any of them is read, so that a typo in data.val is
/// reported at once and not after the training index has been built, and the message names the field.
/// </summary>
public static class DataPaths
{
    /// <summary>The path fields that are set, with their config names (generated data kinds have none).</summary>
    public static IEnumerable<(string Field, string Path)> Given(DataConfig d)
    {
        if (DatasetCatalog.TryGet(d.Kind, out var kind) && kind.GeneratedClasses is not null) yield break;
        var fields = new (string, string?)[]
        {
            ("data.train", d.Train), ("data.val", d.Val), ("data.train_list", d.TrainList), ("data.val_list", d.ValList),
            ("data.audio.audio_dir", d.Audio.AudioDir), ("data.paired.frames.root", d.Paired?.Frames?.Root),
            ("data.paired.frames.val_root", d.Paired?.Frames?.ValRoot), ("data.paired.frames.labels_csv", d.Paired?.Frames?.LabelsCsv),
        };
        foreach (var (field, path) in fields)
            if (!string.IsNullOrWhiteSpace(path)) yield return (field, path);
    }

    /// <exception cref="InvalidDataException">A path does not exist: "data.train: no such file or folder: /d/trian; did you mean /d/train?"</exception>
    public static void Check(DataConfig d)
    {
        foreach (var (field, path) in Given(d))
        {
            if (File.Exists(path) || Directory.Exists(path)) continue;
            string full = Path.GetFullPath(path);
            throw new InvalidDataException($"{field}: no such file or folder: {full}{Suggestion(full)}");
        }
    }

    /// <summary>"; did you mean …?" for the closest name in the same folder, when there is a plausible one.</summary>
    private static string Suggestion(string full)
    {
        string? folder = Path.GetDirectoryName(full.TrimEnd(Path.DirectorySeparatorChar));
        if (folder is null || !Directory.Exists(folder)) return folder is null ? "" : $" (its folder {folder} does not exist either)";
        var names = Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).OfType<string>().Take(1000).ToList();
        return NearestName.Of(Path.GetFileName(full.TrimEnd(Path.DirectorySeparatorChar)), names) is { } near ? $"; did you mean {Path.Combine(folder, near)}?" : "";
    }
}
