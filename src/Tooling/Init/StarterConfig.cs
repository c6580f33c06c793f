using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vicreg.Training.Config;

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
    private static readonly int[] ViewSizes = { 16, 24, 32, 48, 64, 96, 128 };

    /// <param name="lists">For an image folder without a held-out folder: the train and held-out lists to point at
    /// (written by the caller with <see cref="HoldOutLists"/>), else null.</param>
    /// <param name="secondsPerStep">Measures a config's step (see <see cref="StepTimer"/>).</param>
    public static StarterChoice Build(DataReport r, string name, double minutes, (string Train, string Val)? lists, Func<ExperimentConfig, double> secondsPerStep)
    {
        var why = new List<string>();
        int trainCount = lists is null ? (r.Kind == "audio-folder" && r.Val is null ? r.TrainCount * 4 / 5 : r.TrainCount) : r.TrainCount * 4 / 5;
        int heldCount = r.Val is not null ? r.ValCount : r.TrainCount - trainCount;
        int batch = Math.Clamp(PowerOfTwoAtMost(trainCount / 8), 16, r.Modality == "audio" ? 64 : 256);
        why.Add($"optim.batch_size {batch}: about an eighth of the {trainCount} training files, as a power of two (at most {(r.Modality == "audio" ? 64 : 256)} on a CPU)");
        // Base width 16 (32 for budgets over 20 minutes), twice the quickstarts' 8: real data is more varied than the
        // generated shapes, and the budget sets the epochs from the measured step either way.
        int width = minutes <= 20 ? 16 : 32;
        var root = r.Modality == "image" ? Image(r, name, width, batch, minutes, lists, why) : Audio(r, name, width, batch, minutes, why);
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

    private static JsonObject Image(DataReport r, string name, int width, int batch, double minutes, (string Train, string Val)? lists, List<string> why)
    {
        double side = DataReport.Quantile(r.ImageSizes.Select(s => (double)Math.Min(s.Width, s.Height)).ToList(), 0.5);
        if (double.IsNaN(side)) side = 64;
        int cap = minutes < 60 ? 64 : 128;
        int size = ViewSizes.Where(v => v <= Math.Max(16, 0.6 * side) && v <= cap).DefaultIfEmpty(16).Max();
        double scaleMin = side <= 64 ? 0.4 : 0.2;
        why.Add($"data.image_size {size}: about 60% of the images' median shorter side ({side:0} px), at most {cap} px for a CPU budget; " +
                $"data.crop_scale_min {scaleMin.ToString(CultureInfo.InvariantCulture)}: {(side <= 64 ? "small images hold one object filling the frame" : "larger images leave room for smaller crops")}");
        string stem = size <= 64 ? "small" : "image_net";
        why.Add($"model: resnet18, {(stem == "small" ? "small stem (3×3, no pool: views under 64 px)" : "ImageNet stem")}, base width {width} (a narrow net for a CPU; 64 is torchvision's), expander {width * 16}-{width * 16}-{width * 16}");
        long bytes = (long)r.TrainCount * (long)(side * side * 3);
        var data = new JsonObject
        {
            ["kind"] = lists is null ? r.Kind : "file-list",
            ["image_size"] = size, ["crop_scale_min"] = scaleMin, ["workers"] = 1, ["cache_decoded"] = bytes < 1L << 30,
        };
        if (lists is { } l) { data["train_list"] = l.Train; data["val_list"] = l.Val; why.Add($"data.train_list / data.val_list: every 5th file of each class held out for the probes ({l.Val})"); }
        else if (r.Kind == "file-list") data["train_list"] = r.Train;
        else { data["train"] = r.Train; if (r.Val is not null) data["val"] = r.Val; }
        return new JsonObject
        {
            ["name"] = name, ["seed"] = 0, ["device"] = "auto", ["data"] = data,
            ["model"] = new JsonObject { ["shared"] = true, ["branch_a"] = new JsonObject { ["encoder"] = "resnet18", ["stem"] = stem, ["base_width"] = width, ["expander"] = $"{width * 16}-{width * 16}-{width * 16}" } },
            ["loss"] = new JsonObject { ["sim"] = 25, ["std"] = 25, ["cov"] = 1 },
            ["optim"] = new JsonObject { ["name"] = "adamw", ["base_lr"] = 0.006, ["weight_decay"] = 0.0001, ["batch_size"] = batch, ["scale_lr_with_batch"] = false },
        };
    }

    private static JsonObject Audio(DataReport r, string name, int width, int batch, double minutes, List<string> why)
    {
        double median = DataReport.Quantile(r.ClipSeconds, 0.5), p10 = DataReport.Quantile(r.ClipSeconds, 0.1);
        if (double.IsNaN(median)) (median, p10) = (2, 2);
        int rate = r.SampleRate >= 16000 && minutes >= 30 ? 16000 : Math.Min(8000, Math.Max(4000, r.SampleRate));
        // Crops as long as most clips allow: a crop longer than a clip is zero-padded, and a short crop of a clip
        // whose sound fades lands on silence.
        double crop = Math.Clamp(Math.Floor(10 * Math.Min(p10, 0.8 * median)) / 10, 0.2, 4.0);
        double evalSeconds = Math.Clamp(Math.Round(median, 1), crop, 10.0);
        double shift = Math.Round(0.1 * crop, 2);
        why.Add(FormattableString.Invariant($"data.audio.sample_rate {rate} (the files: {r.SampleRate} Hz){(rate < r.SampleRate ? "; lower for a CPU budget" : "")}; the mel front end follows it"));
        why.Add(FormattableString.Invariant($"crop_seconds {crop} (the shorter of 80% of the median clip, {median:0.00} s, and the 10th percentile, {p10:0.00} s, rounded down), ") +
                FormattableString.Invariant($"so that crops seldom run past a clip's end; eval_seconds {evalSeconds}: the median clip"));
        why.Add($"model: one shared spectrogram-resnet18 (log-mel, base width {width}), expander 512-512-512");
        var view = new JsonObject { ["crop_seconds"] = crop, ["gain_db"] = 6, ["noise_level"] = 0.05, ["shift_seconds"] = shift };
        var data = new JsonObject
        {
            ["kind"] = r.Kind, ["train"] = r.Train, ["workers"] = 2,
            ["audio"] = new JsonObject { ["sample_rate"] = rate, ["view_a"] = view.DeepClone(), ["view_b"] = view.DeepClone(), ["eval_seconds"] = evalSeconds },
        };
        if (r.Val is not null) data["val"] = r.Val;
        var mel = rate >= 16000
            ? new JsonObject { ["n_fft"] = 512, ["win_length"] = 400, ["hop_length"] = 160, ["n_mels"] = 64 }
            : new JsonObject { ["n_fft"] = 256, ["win_length"] = 200, ["hop_length"] = 80, ["n_mels"] = 32 };
        return new JsonObject
        {
            ["name"] = name, ["seed"] = 0, ["device"] = "auto", ["data"] = data,
            ["model"] = new JsonObject { ["shared"] = true, ["branch_a"] = new JsonObject { ["encoder"] = "spectrogram-resnet18", ["base_width"] = width, ["expander"] = "512-512-512", ["mel"] = mel } },
            ["loss"] = new JsonObject { ["sim"] = 25, ["std"] = 25, ["cov"] = 1 },
            ["optim"] = new JsonObject { ["name"] = "adamw", ["base_lr"] = 0.001, ["weight_decay"] = 0.05, ["batch_size"] = batch, ["scale_lr_with_batch"] = false },
        };
    }

    /// <summary>Writes path,label lists holding out every 5th file of each class (by sorted path), for an image folder
    /// that comes without a held-out folder; returns their paths.</summary>
    public static (string Train, string Val) HoldOutLists(DataReport r, string prefix)
    {
        var set = Vicreg.Data.ClassFolders.Scan(r.Train, "Image", Vicreg.Data.ImageFolderDataset.Extensions);
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
