using System.Text.Json.Nodes;
using NAudio.Wave;
using Vicreg.Core;
using Vicreg.Data;
using Vicreg.Data.Audio;
using Vicreg.Encoders;
using Vicreg.Training.Config;

namespace Vicreg.Tooling.Init;

/// <summary>Sounds for <c>vicreg init</c>: durations and rates from the WAV headers, crops from the durations, and the
/// small audio encoder of the CPU quickstarts (its log-mel front end at the chosen rate).</summary>
public sealed class AudioStarter : StarterModality
{
    public override string Modality => Modalities.Audio;

    public override int BatchCap => 64;

    public override SampleSet ReadList(string list) => AudioManifest.Load(list);

    public override void Measure(string path, FileMeasures into)
    {
        using var reader = new WaveFileReader(path);
        into.Clip(reader.TotalTime.TotalSeconds, reader.WaveFormat.SampleRate);
    }

    /// <summary>An audio folder without data.val holds out every 5th clip itself.</summary>
    public override int TrainCount(DataReport r) => r.Kind == FolderKind && r.Val is null ? r.TrainCount * 4 / 5 : r.TrainCount;

    public override JsonObject Config(DataReport r, string name, int width, int batch, double minutes, (string Train, string Val)? lists, List<string> why)
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
        string encoder = EncoderCatalog.Default(Modality, EncoderDefault.Small);
        bool logMel = EncoderCatalog.Get(encoder).LogMel;
        why.Add($"model: one shared {encoder} ({(logMel ? "log-mel, " : "")}base width {width}), expander 512-512-512");
        var view = new JsonObject { ["crop_seconds"] = crop, ["gain_db"] = 6, ["noise_level"] = 0.05, ["shift_seconds"] = shift };
        var data = new JsonObject
        {
            ["kind"] = r.Kind, ["train"] = r.Train, ["workers"] = 2,
            [ConfigLoader.FieldName(nameof(DataConfig.Audio))] = new JsonObject { ["sample_rate"] = rate, ["view_a"] = view.DeepClone(), ["view_b"] = view.DeepClone(), ["eval_seconds"] = evalSeconds },
        };
        if (r.Val is not null) data["val"] = r.Val;
        var branch = new JsonObject { ["encoder"] = encoder, ["base_width"] = width, ["expander"] = "512-512-512" };
        if (logMel)
            branch["mel"] = rate >= 16000
                ? new JsonObject { ["n_fft"] = 512, ["win_length"] = 400, ["hop_length"] = 160, ["n_mels"] = 64 }
                : new JsonObject { ["n_fft"] = 256, ["win_length"] = 200, ["hop_length"] = 80, ["n_mels"] = 32 };
        return new JsonObject
        {
            ["name"] = name, ["seed"] = 0, ["device"] = "auto", ["data"] = data,
            ["model"] = new JsonObject { ["shared"] = true, ["branch_a"] = branch },
            ["loss"] = new JsonObject { ["sim"] = 25, ["std"] = 25, ["cov"] = 1 },
            ["optim"] = new JsonObject { ["name"] = "adamw", ["base_lr"] = 0.001, ["weight_decay"] = 0.05, ["batch_size"] = batch, ["scale_lr_with_batch"] = false },
        };
    }
}
