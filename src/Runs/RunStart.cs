using Vicreg.Training.Config;
using Vicreg.Training.Runs;

namespace Vicreg.Runs;

/// <summary>
/// What a start may do to runs/&lt;name&gt;. A run that exists is changed only by a start that goes on with the same
/// training: a start with another training config is refused before anything is written, naming the fields that
/// differ; the resolved config.json is written (atomically) only once the data and the model are ready, so a start
/// that fails validation leaves a finished run byte-identical; and a folder that the failed start itself created
/// is removed again.
/// </summary>
public sealed class RunStart
{
    private readonly string root;
    private readonly bool existed;

    private RunStart(string root, bool existed)
    {
        this.root = root;
        this.existed = existed;
    }

    /// <summary>Checks runs/&lt;name&gt; before anything is created there.</summary>
    public static RunStart Begin(ExperimentConfig c)
    {
        string root = Path.GetFullPath(Path.Combine(c.Output.RunsDir, c.Name));
        bool existed = Directory.Exists(root);
        if (existed) RefuseOtherTraining(root, c);
        return new RunStart(root, existed);
    }

    /// <summary>A run whose checkpoints were trained with another config is never resumed into, nor has its config.json replaced.</summary>
    private static void RefuseOtherTraining(string root, ExperimentConfig c)
    {
        var latest = Checkpoints.LatestState(Path.Combine(root, "checkpoints"));
        string hash = ConfigHash.OfTraining(c);
        if (latest is null || latest.ConfigHash == hash) return;
        string configPath = Path.Combine(root, "config.json");
        string fields = "";
        try
        {
            if (File.Exists(configPath))
            {
                var before = ConfigLoader.LoadFile(configPath);
                if (ConfigHash.OfTraining(before) == latest.ConfigHash)
                {
                    var changed = ConfigDifference.Fields(ConfigHash.TrainingText(before), ConfigHash.TrainingText(c));
                    if (changed.Count > 0) fields = $" ({string.Join("; ", changed)})";
                }
            }
        }
        catch (Exception e) when (e is ConfigException or IOException or System.Text.Json.JsonException) { } // the refusal stands without the field list
        throw new ArgumentException(
            $"{root} holds a run trained with another config{fields}; give this run another name (\"name\" in the config, or --set name=NEW), " +
            $"or delete {root} to start over");
    }

    /// <summary>True once the config is written: from then on the folder holds this run, and a failure keeps it.</summary>
    public bool Committed { get; private set; }

    /// <summary>Writes the resolved config beside the run: to a temporary file, then renamed over, so a crash never leaves half a config.json.</summary>
    public void WriteConfig(RunFolder run, ExperimentConfig c)
    {
        string tmp = run.ConfigPath + ".tmp";
        File.WriteAllText(tmp, ConfigLoader.Serialize(c));
        File.Move(tmp, run.ConfigPath, overwrite: true);
        Committed = true;
    }

    /// <summary>After a start failed before training: the folder is removed when this start created it and nothing
    /// was trained into it (no checkpoint); a folder that was there before is left as it was.</summary>
    public void Abandon()
    {
        if (existed || !Directory.Exists(root)) return;
        if (Checkpoints.LatestState(Path.Combine(root, "checkpoints")) is not null) return;
        try { Directory.Delete(root, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // best effort: the error being reported matters more
    }
}
