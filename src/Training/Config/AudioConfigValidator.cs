namespace Vicreg.Training.Config;

/// <summary>Checks of the audio data kinds and of audio branches; called by <see cref="ConfigValidator"/>.</summary>
public static class AudioConfigValidator
{
    public static readonly string[] AudioKinds = { "esc50", "audio-folder", "audio-manifest", "audioset", "synthetic-audio" };

    public static bool IsAudio(string kind) => AudioKinds.Contains(kind);

    /// <summary>Encoders that take raw waveforms [N, 1, samples]: the 1-D ResNets and the spectrogram encoders
    /// (which compute their log-mel on the device).</summary>
    public static bool IsAudioEncoder(string name) =>
        name.StartsWith("resnet1d", StringComparison.OrdinalIgnoreCase) || name.StartsWith("spectrogram-", StringComparison.OrdinalIgnoreCase);

    internal static void Validate(ExperimentConfig c, Action<bool, string, string> require)
    {
        var d = c.Data;
        var a = d.Audio;
        if (d.Kind != "synthetic-audio")
            require(!string.IsNullOrWhiteSpace(d.Train), "data.train", d.Kind switch
            {
                "esc50" => "is required for kind esc50 (the ESC-50 root, with audio/ and meta/esc50.csv)",
                "audio-folder" => "is required for kind audio-folder (a folder with one subfolder of .wav files per class)",
                "audio-manifest" => "is required for kind audio-manifest (a CSV with path,label[,fold])",
                _ => "is required for kind audioset (the segments CSV: YTID, start_seconds, end_seconds, positive_labels)",
            });
        if (d.Kind == "audioset")
            require(!string.IsNullOrWhiteSpace(a.AudioDir), "data.audio.audio_dir", "is required for kind audioset (the folder with the segment files)");
        require(a.SampleRate is >= 4000 and <= 192000, "data.audio.sample_rate", $"must be between 4000 and 192000; got {a.SampleRate}");
        require(a.EvalSeconds > 0, "data.audio.eval_seconds", $"must be > 0; got {a.EvalSeconds}");
        require(a.HoldOutFold >= 1, "data.audio.hold_out_fold", $"must be ≥ 1; got {a.HoldOutFold}");
        foreach (var (view, field) in new[] { (a.ViewA, "data.audio.view_a"), (a.ViewB, "data.audio.view_b") })
            foreach (var problem in view.Problems()) require(false, field, problem);
        require(a.Synthetic.Classes is >= 2 and <= 10, "data.audio.synthetic.classes", $"must be between 2 and 10; got {a.Synthetic.Classes}");
        require(a.Synthetic.TrainPerClass >= 1, "data.audio.synthetic.train_per_class", "must be ≥ 1");
        require(a.Synthetic.ValPerClass >= 1, "data.audio.synthetic.val_per_class", "must be ≥ 1");
        require(a.Synthetic.Seconds > 0, "data.audio.synthetic.seconds", "must be > 0");

        foreach (var (branch, field) in new[] { (c.Model.BranchA, "model.branch_a"), (c.Model.BranchB, "model.branch_b") })
        {
            if (branch is null) continue;
            require(IsAudioEncoder(branch.Encoder), $"{field}.encoder",
                $"\"{branch.Encoder}\" takes images, but data.kind \"{d.Kind}\" gives waveforms; use resnet1d18 (waveform) or spectrogram-resnet18 (log-mel)");
            require(branch.InChannels is 1 or 3, $"{field}.in_channels", "is not used by audio encoders (mono waveforms); remove it");
            if (branch.Mel is { } mel)
            {
                require(branch.Encoder.StartsWith("spectrogram-", StringComparison.OrdinalIgnoreCase), $"{field}.mel", "is only used by spectrogram-* encoders");
                foreach (var problem in mel.Problems()) require(false, $"{field}.mel", problem);
                require(mel.SampleRate == a.SampleRate, $"{field}.mel.sample_rate",
                    $"is {mel.SampleRate} but data.audio.sample_rate is {a.SampleRate}; they must match");
            }
            else if (branch.Encoder.StartsWith("spectrogram-", StringComparison.OrdinalIgnoreCase))
                require(a.SampleRate == 16000, $"{field}.mel",
                    $"is needed when data.audio.sample_rate is not 16000 (got {a.SampleRate}): give mel.sample_rate = {a.SampleRate}");
            if (branch.SpecAugment is { } sa)
                require(sa.TimeMasks >= 0 && sa.FreqMasks >= 0 && sa.MaxTimeWidth >= 0 && sa.MaxFreqWidth >= 0, $"{field}.spec_augment", "counts and widths must be ≥ 0");
        }
    }
}
