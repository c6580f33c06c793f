namespace Vicreg.Training.Runs;

/// <summary>runs/&lt;name&gt;/: config.json, stats.csv, checkpoints/, eval/, plots/.</summary>
public sealed class RunFolder
{
    public RunFolder(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(CheckpointsDir);
        Directory.CreateDirectory(EvalDir);
    }

    public static RunFolder For(string runsDir, string name) => new(Path.Combine(runsDir, name));

    public string Root { get; }
    public string ConfigPath => Path.Combine(Root, "config.json");
    public string StatsPath => Path.Combine(Root, "stats.csv");
    public string CheckpointsDir => Path.Combine(Root, "checkpoints");
    public string EvalDir => Path.Combine(Root, "eval");
    public string PlotsDir => Path.Combine(Root, "plots");
}
