using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vicreg.Training.Config;
using Vicreg.Training.Sources;

namespace Vicreg.Tooling.Init;

/// <summary>What <c>vicreg init</c> decided, and why, one line per choice; <see cref="Json"/> is the config text.</summary>
public sealed record StarterChoice(string Json, IReadOnlyList<string> Reasons, double SecondsPerStep, int Epochs, int StepsPerEpoch, double EstimatedMinutes);

/// <summary>
/// A starting config for real data of the kind and size <see cref="DataInspection"/> found, fitted to a time budget:
/// the view size from the image sizes (or the crop length from the clip durations), the batch from the number of
/// files, a narrow ResNet-18 as in the CPU quickstarts, and the epochs from a measured step time. The probes (against
/// random init and the majority class) are on, so the first run says whether pretraining helped.
/// </summary>
public static class StarterConfig
{
    /// <param name="lists">For an image folder without a held-out folder: the train and held-out lists to point at
    /// (written by the caller with <see cref="HoldOutLists"/>), else null.</param>
    /// <param name="secondsPerStep">Measures a config's step (see <see cref="StepTimer"/>).</param>
    public static StarterChoice Build(DataReport r, string name, double minutes, (string Train, string Val)? lists, Func<ExperimentConfig, double> secondsPerStep)
    {
        var why = new List<string>();
        var starter = StarterModalities.Get(r.Modality);
        int trainCount = lists is null ? starter.TrainCount(r) : r.TrainCount * 4 / 5;
        int heldCount = r.Val is not null ? r.ValCount : r.TrainCount - trainCount;
        int batch = Math.Clamp(PowerOfTwoAtMost(trainCount / 8), 16, starter.BatchCap);
        why.Add($"optim.batch_size {batch}: about an eighth of the {trainCount} training files, as a power of two (at most {starter.BatchCap} on a CPU)");
        // Base width 16 (32 for budgets over 20 minutes), twice the quickstarts' 8: real data is more varied than the
        // generated shapes, and the budget sets the epochs from the measured step either way.
        int width = minutes <= 20 ? 16 : 32;
        var root = starter.Config(r, name, width, batch, minutes, lists, why);
        root["eval"] = new JsonObject
        {
            ["linear_probe"] = true, ["compare_random_init"] = true, ["epochs"] = 100, ["lr"] = 0.02,
            ["diagnostics_samples"] = Math.Clamp(trainCount, 2, 256),
        };
        root["output"] = new JsonObject { ["runs_dir"] = "runs" };

        // Epochs from the budget: the measured step (plus a margin for decoding and augmentation), after the
        // time the probes need (features of every file for the pretrained and the random-init network).
        root["optim"]!["epochs"] = 1;
        root["optim"]!["warmup_epochs"] = 0;
        var probeConfig = ConfigLoader.Parse(root.ToJsonString(), "vicreg init");
        double step = secondsPerStep(probeConfig);
        int stepsPerEpoch = Math.Max(1, trainCount / batch);
        double evalSeconds = 2 * 0.5 * step * (trainCount + heldCount) / batch + 20;
        double budget = Math.Max(0, minutes * 60 - evalSeconds - 15);
        int epochs = Math.Clamp((int)(budget / (1.3 * step * stepsPerEpoch)), 1, 300);
        int warmup = epochs >= 10 ? Math.Max(1, epochs / 10) : 0;
        root["optim"]!["epochs"] = epochs;
        root["optim"]!["warmup_epochs"] = warmup;
        double estimate = (epochs * stepsPerEpoch * step * 1.3 + evalSeconds + 15) / 60;
        why.Add(FormattableString.Invariant($"optim.epochs {epochs} ({epochs * stepsPerEpoch} steps): a step measured {step:F2} s on this machine (+30% for decoding), ") +
                FormattableString.Invariant($"{stepsPerEpoch} steps an epoch, within --minutes {minutes:0.#} after about {evalSeconds / 60:0.#} min for the probes") +
                (warmup > 0 ? $"; warm-up {warmup} epoch(s)" : "; no warm-up (too few epochs)"));
        string header = $"// Written by vicreg init for {r.Train} ({r.Modality}, {r.TrainCount + r.ValCount} files, {r.Classes.Count} classes), " +
                        FormattableString.Invariant($"fitted to about {minutes:0.#} minutes on the machine that ran it. Why each choice:\n") +
                        string.Concat(why.Select(w => $"//  - {w}\n"));
        var json = header + root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        return new StarterChoice(json, why, step, epochs, stepsPerEpoch, estimate);
    }

    /// <summary>Whether <see cref="HoldOutLists"/> should be written for <paramref name="r"/> (an image folder that comes
    /// without a held-out folder).</summary>
    public static bool NeedsHoldOutLists(DataReport r) => StarterModalities.Get(r.Modality).WantsHoldOutLists(r);

    /// <summary>Writes path,label lists holding out every 5th file of each class (by sorted path), for an image folder
    /// that comes without a held-out folder; returns their paths.</summary>
    public static (string Train, string Val) HoldOutLists(DataReport r, string prefix)
    {
        var set = Vicreg.Data.ClassFolders.Scan(r.Train, ModalityCatalog.Get(r.Modality).Title, StarterModalities.Get(r.Modality).Extensions);
        var train = new StringBuilder("path,label\n");
        var val = new StringBuilder("path,label\n");
        foreach (var group in set.GroupBy(s => s.Label))
        {
            int i = 0;
            foreach (var s in group)
                (i++ % 5 == 4 ? val : train).AppendLine($"{Csv(s.Path)},{Csv(set.Classes[s.Label])}");
        }
        string t = prefix + ".train.csv", v = prefix + ".val.csv";
        File.WriteAllText(t, train.ToString());
        File.WriteAllText(v, val.ToString());
        return (t, v);
    }

    private static string Csv(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    private static int PowerOfTwoAtMost(int n)
    {
        int p = 1;
        while (p * 2 <= n) p *= 2;
        return p;
    }
}
