using System.Security.Cryptography;
using System.Text.Json;
using TorchSharp;
using Vicreg.Core;
using Vicreg.Training.Model;
using Vicreg.Training.Optim;
using static TorchSharp.torch;

namespace Vicreg.Training.Runs;

/// <summary>
/// Where training stands: <see cref="Epoch"/> is the epoch in progress and <see cref="BatchInEpoch"/> the
/// batches of it already taken (0 at an epoch boundary). Data order and augmentations derive from
/// (seed, epoch, index); the states of torch's generators (CPU: rng.bin; each GPU in use: rng-cudaN.bin) are saved
/// beside it, so resuming is exact.
/// </summary>
public sealed record CheckpointState(int Epoch, int BatchInEpoch, long GlobalStep, int Seed, string ConfigHash, double Lr, DateTime SavedUtc);

/// <summary>
/// One folder per checkpoint under checkpoints/ (step-NNNNNNNNN): model.bin, optimizer.bin, rng.bin (and
/// rng-cudaN.bin per GPU), sha256.json (a checksum of each) and state.json, written last. Each is written to a
/// temporary folder, flushed to disk and renamed into place (<see cref="CheckpointReplacement"/>), so a crash or a
/// power cut at any point leaves either the old or the new checkpoint whole, never neither.
/// Resuming verifies the checksums and falls back to the previous checkpoint when the newest is damaged.
/// The newest <c>keep</c> are kept.
/// </summary>
public static class Checkpoints
{
    private const string StateFile = "state.json";
    private const string ChecksumFile = "sha256.json";
    private static readonly string[] Payload = { "model.bin", "optimizer.bin", GeneratorStates.CpuFile };
    private const string Prefix = "step-";

    /// <summary>Writes a checkpoint with the states of <paramref name="generators"/> (default: the CPU generator).
    /// When the write fails (a full disk, a dropped mount), the half-written folder is removed, the previous
    /// checkpoints stay as they are, and <see cref="CheckpointWriteException"/> says so in one line.</summary>
    public static string Save(RunFolder run, JointEmbedding model, IStepOptimizer optimizer, CheckpointState state, int keep,
        IReadOnlyList<GeneratorState>? generators = null)
    {
        string final = Path.Combine(run.CheckpointsDir, $"{Prefix}{state.GlobalStep:D9}");
        string tmp = final + CheckpointReplacement.TempSuffix;
        try
        {
            Write(tmp, model, optimizer, state, generators ?? new[] { GeneratorStates.Cpu });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true); }
            catch (IOException) { } // best effort: a .tmp folder is ignored on resume either way
            throw new CheckpointWriteException(final, Complete(run).LastOrDefault(), e);
        }
        foreach (var (_, step) in CheckpointReplacement.Steps(tmp, final)) step();
        foreach (var old in Complete(run).SkipLast(keep)) Directory.Delete(old, recursive: true);
        return final;
    }

    private static void Write(string tmp, JointEmbedding model, IStepOptimizer optimizer, CheckpointState state, IReadOnlyList<GeneratorState> generators)
    {
        if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        Directory.CreateDirectory(tmp);
        model.save(Path.Combine(tmp, "model.bin"));
        optimizer.Save(Path.Combine(tmp, "optimizer.bin"));
        foreach (var generator in generators)
            using (var rng = generator.Get()) rng.Save(Path.Combine(tmp, generator.File));
        var sums = Payload.Concat(generators.Select(g => g.File)).Distinct().ToDictionary(f => f, f => Sha256(Path.Combine(tmp, f)));
        File.WriteAllText(Path.Combine(tmp, ChecksumFile), JsonSerializer.Serialize(sums));
        File.WriteAllText(Path.Combine(tmp, StateFile), JsonSerializer.Serialize(state));
        foreach (var file in Directory.GetFiles(tmp)) Flush(file);
        DurableFolders.Flush(tmp);
    }

    /// <summary>Restores the newest intact checkpoint into the model (and the optimizer and the generators of
    /// <paramref name="generators"/>, default the CPU one, when an optimizer is given, to continue training); null if
    /// there is none. A damaged checkpoint is reported through <paramref name="warn"/> and the previous one is tried.</summary>
    public static CheckpointState? TryRestoreLatest(RunFolder run, JointEmbedding model, IStepOptimizer? optimizer = null, Action<string>? warn = null,
        IReadOnlyList<GeneratorState>? generators = null)
    {
        foreach (var candidate in Complete(run).Reverse())
        {
            string? problem = Damage(candidate);
            if (problem is null) return Restore(candidate, model, optimizer, generators ?? new[] { GeneratorStates.Cpu }, warn);
            warn?.Invoke($"warning: checkpoint {candidate} is damaged ({problem}); trying the previous one");
        }
        return null;
    }

    /// <summary>Why a checkpoint folder cannot be trusted, or null if every checksum matches.</summary>
    public static string? Damage(string folder)
    {
        var sumsPath = Path.Combine(folder, ChecksumFile);
        if (!File.Exists(sumsPath)) return $"{ChecksumFile} is missing";
        Dictionary<string, string>? sums;
        try { sums = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(sumsPath)); }
        catch (JsonException) { return $"{ChecksumFile} is not valid JSON"; }
        // The fixed files, and every file the checksums list (one per GPU generator).
        foreach (var file in Payload.Concat(sums?.Keys ?? Enumerable.Empty<string>()).Distinct())
        {
            var path = Path.Combine(folder, file);
            if (!File.Exists(path)) return $"{file} is missing";
            if (sums is null || !sums.TryGetValue(file, out var expected) || expected != Sha256(path)) return $"{file} does not match its checksum";
        }
        return null;
    }

    private static CheckpointState Restore(string latest, JointEmbedding model, IStepOptimizer? optimizer,
        IReadOnlyList<GeneratorState> generators, Action<string>? warn)
    {
        var state = JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(Path.Combine(latest, StateFile)))
            ?? throw new InvalidDataException($"{latest}/{StateFile} is empty");
        model.load(Path.Combine(latest, "model.bin"));
        if (optimizer is null) return state;
        optimizer.Load(Path.Combine(latest, "optimizer.bin"));
        foreach (var generator in generators)
        {
            var path = Path.Combine(latest, generator.File);
            if (!File.Exists(path))
            {
                // A checkpoint from a run on other devices: that generator starts where it stands.
                warn?.Invoke($"warning: checkpoint {latest} has no {generator.File} (it was written on other devices); that random stream does not resume exactly");
                continue;
            }
            using var rng = Tensor.Load(path);
            generator.Set(rng);
        }
        return state;
    }

    /// <summary>The state of the newest complete checkpoint under <paramref name="checkpointsDir"/> (null when there is
    /// none), read without loading anything: what a new start checks before it touches the run folder.</summary>
    public static CheckpointState? LatestState(string checkpointsDir)
    {
        if (!Directory.Exists(checkpointsDir)) return null;
        var latest = Complete(checkpointsDir).LastOrDefault();
        if (latest is null) return null;
        try { return JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(Path.Combine(latest, StateFile))); }
        catch (JsonException) { return null; }
    }

    /// <summary>Checkpoint folders whose state.json exists (it is written last), oldest first. A folder moved aside
    /// while its step was being rewritten counts only while the rewrite has not replaced it.</summary>
    public static IEnumerable<string> Complete(RunFolder run) => Complete(run.CheckpointsDir);

    private static IEnumerable<string> Complete(string checkpointsDir) =>
        Directory.GetDirectories(checkpointsDir, Prefix + "*")
            .Where(d => !d.EndsWith(CheckpointReplacement.TempSuffix, StringComparison.Ordinal) && File.Exists(Path.Combine(d, StateFile)))
            .Where(d => !d.EndsWith(CheckpointReplacement.AsideSuffix, StringComparison.Ordinal)
                        || !File.Exists(Path.Combine(d[..^CheckpointReplacement.AsideSuffix.Length], StateFile)))
            .OrderBy(d => d, StringComparer.Ordinal);

    private static string Sha256(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexString(SHA256.HashData(stream));
    }

    private static void Flush(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
        stream.Flush(flushToDisk: true);
    }
}
