using System.Text.Json;
using Vicreg.Training.Model;
using Vicreg.Training.Optim;

namespace Vicreg.Training.Runs;

/// <summary>What a checkpoint says about where training stands. Data order and augmentation are derived
/// from (seed, epoch, index) and torch is reseeded from (seed, epoch), so this is the whole RNG state.</summary>
public sealed record CheckpointState(int EpochsCompleted, long GlobalStep, int Seed, string ConfigHash, double Lr, DateTime SavedUtc);

/// <summary>
/// One folder per epoch under checkpoints/: model.bin, optimizer.bin, state.json. Written to a temporary
/// folder and renamed, so a crash mid-write never leaves a half checkpoint that looks whole.
/// </summary>
public static class Checkpoints
{
    private const string StateFile = "state.json";

    public static string Save(RunFolder run, JointEmbedding model, IStepOptimizer optimizer, CheckpointState state, int keep)
    {
        string name = $"epoch-{state.EpochsCompleted:D4}";
        string final = Path.Combine(run.CheckpointsDir, name);
        string tmp = final + ".tmp";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        Directory.CreateDirectory(tmp);
        model.save(Path.Combine(tmp, "model.bin"));
        optimizer.Save(Path.Combine(tmp, "optimizer.bin"));
        File.WriteAllText(Path.Combine(tmp, StateFile), JsonSerializer.Serialize(state));
        if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
        Directory.Move(tmp, final);
        foreach (var old in Complete(run).SkipLast(keep)) Directory.Delete(old, recursive: true);
        return final;
    }

    /// <summary>Restores the newest complete checkpoint into the model (and the optimizer, when given, to
    /// continue training); null if there is none.</summary>
    public static CheckpointState? TryRestoreLatest(RunFolder run, JointEmbedding model, IStepOptimizer? optimizer = null)
    {
        var latest = Complete(run).LastOrDefault();
        if (latest is null) return null;
        var state = JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(Path.Combine(latest, StateFile)))
            ?? throw new InvalidDataException($"{latest}/{StateFile} is empty");
        model.load(Path.Combine(latest, "model.bin"));
        optimizer?.Load(Path.Combine(latest, "optimizer.bin"));
        return state;
    }

    /// <summary>Checkpoint folders whose state.json exists (the last file written), oldest first.</summary>
    public static IEnumerable<string> Complete(RunFolder run) =>
        Directory.GetDirectories(run.CheckpointsDir, "epoch-*")
            .Where(d => !d.EndsWith(".tmp", StringComparison.Ordinal) && File.Exists(Path.Combine(d, StateFile)))
            .OrderBy(d => d, StringComparer.Ordinal);
}
