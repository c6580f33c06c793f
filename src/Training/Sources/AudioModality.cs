using Vicreg.Core;
using Vicreg.Data;
using Vicreg.Data.Audio;
using Vicreg.Data.Views;
using Vicreg.Training.Config;

namespace Vicreg.Training.Sources;

/// <summary>The audio modality: WAV decoding to mono at data.audio.sample_rate (<see cref="AudioLoader"/>, one clip cache
/// per run), and each branch's waveform crop. Spectrogram encoders take these waveforms and compute their log-mel on the device.</summary>
public static class AudioModality
{
    public static readonly ModalityEntry Entry = ModalityEntry.Of<AudioViewOptions>(Modalities.Audio, Recipe, OpenReader, Validate,
        noun: "waveforms", examples: "resnet1d18 for waveforms, spectrogram-resnet18 for log-mel", fileExtensions: new[] { ".wav" }, tensorName: "waveform",
        viewAdvice: "the crops: run vicreg preview; if many crops are silent, lengthen data.audio.view_a/view_b.crop_seconds towards the clip length, or trim the silence from the clips");

    /// <summary>A side's waveform view: data.audio.view_a or view_b, with the branch's own view fields over it.</summary>
    public static AudioViewAugmentation Augmentation(AudioDataConfig a, AudioViewOptions? v, BranchSide side)
    {
        var view = side == BranchSide.A ? a.ViewA : a.ViewB;
        if (v is null) return view;
        return view with
        {
            CropSeconds = v.CropSeconds ?? view.CropSeconds,
            GainDb = v.GainDb ?? view.GainDb,
            NoiseLevel = v.NoiseLevel ?? view.NoiseLevel,
            ShiftSeconds = v.ShiftSeconds ?? view.ShiftSeconds,
        };
    }

    private static IViewRecipe Recipe(AudioViewOptions view, BranchContext b) =>
        new AudioViewRecipe(Augmentation(b.Data.Audio, view, b.Side), b.Data.Audio.SampleRate, b.Data.Audio.EvalSeconds);

    private static ISampleReader OpenReader(DataConfig data, IReadOnlyList<Sample> samples, SampleReaders readers) =>
        new AudioLoader(samples, data.Audio.SampleRate, readers.Info, readers.Shared(() => new AudioClipCache()));

    private static void Validate(AudioViewOptions v, BranchContext branch, Action<bool, string, string> require)
    {
        var (b, field) = (branch.Branch, branch.Field);
        var a = branch.Data.Audio;
        require(b.InChannels is 1 or 3, $"{field}.in_channels", "is not used by audio encoders (mono waveforms); remove it");
        bool spectrogram = Vicreg.Encoders.EncoderCatalog.HasLogMel(b.Encoder);
        if (b.Mel is { } mel)
        {
            require(spectrogram, $"{field}.mel", "is only used by spectrogram encoders");
            foreach (var problem in mel.Problems()) require(false, $"{field}.mel", problem);
            require(mel.SampleRate == a.SampleRate, $"{field}.mel.sample_rate", $"is {mel.SampleRate} but data.audio.sample_rate is {a.SampleRate}; they must match");
        }
        else if (spectrogram)
            require(a.SampleRate == 16000, $"{field}.mel",
                $"is needed when data.audio.sample_rate is not 16000 (got {a.SampleRate}): give mel.sample_rate = {a.SampleRate}");
        if (b.SpecAugment is { } sa)
            require(sa.TimeMasks >= 0 && sa.FreqMasks >= 0 && sa.MaxTimeWidth >= 0 && sa.MaxFreqWidth >= 0, $"{field}.spec_augment", "counts and widths must be ≥ 0");
        if (b.View is null) return;
        var view = Augmentation(a, v, BranchSide.A);
        foreach (var problem in view.Problems()) require(false, $"{field}.view", problem);
    }
}
