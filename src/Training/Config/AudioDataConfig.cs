using Vicreg.Core;
using Vicreg.Data.Audio;

namespace Vicreg.Training.Config;

/// <summary>
/// Audio data settings (data.audio), used by the audio data kinds: esc50, audio-folder, audio-manifest,
/// audioset and synthetic-audio. Every clip is decoded to mono at <see cref="SampleRate"/>; each branch cuts
/// its own view (view_a → branch A, view_b → branch B); evaluation uses the centred <see cref="EvalSeconds"/>.
/// </summary>
public sealed record AudioDataConfig
{
    [Option("Every clip is decoded to mono at this rate, in Hz.", Min = 4000, Max = 192000)]
    public int SampleRate { get; init; } = 16000;
    [Option("Branch A's waveform crop, gain, noise and shift.")]
    public AudioViewAugmentation ViewA { get; init; } = new();
    [Option("Branch B's waveform crop, gain, noise and shift.")]
    public AudioViewAugmentation ViewB { get; init; } = new();
    /// <summary>Length of the centred crop used for features at evaluation (ESC-50 clips are 5 s).</summary>
    [Option("Length of the centred crop used for features at evaluation (ESC-50 clips are 5 s).", Min = 0, MinExclusive = true)]
    public double EvalSeconds { get; init; } = 5.0;
    /// <summary>ESC-50 (or a manifest with a fold column): the fold held out of pretraining and of probe training;
    /// the probe is tested on it. Fold 5 gives the paper's 1600/400 split.</summary>
    [Option("ESC-50 (or a manifest with a fold column): the fold held out of pretraining and of probe training; the probe is tested on it. Fold 5 gives the paper's 1600/400 split.", Min = 1)]
    public int HoldOutFold { get; init; } = 5;
    /// <summary>Also probe with each fold held out in turn and report the mean (ESC-50's 5-fold protocol, on the
    /// frozen encoder pretrained without hold_out_fold).</summary>
    [Option("Also probe with each fold held out in turn and report the mean (ESC-50's 5-fold protocol, on the frozen encoder pretrained without hold_out_fold).")]
    public bool CrossValidation { get; init; }
    /// <summary>audio-folder: which folder level below data.train names a file's class: 1, its subfolders; 2, theirs
    /// (LibriSpeech's speaker/chapter/*.flac by chapter). Files are found at any depth below a class folder.</summary>
    [Option("audio-folder: which folder level below data.train names a file's class: 1, its subfolders; 2, theirs (LibriSpeech's speaker/chapter/*.flac by chapter). Files are found at any depth below a class folder.", Min = 1, Max = 8)]
    public int LabelLevel { get; init; } = 1;
    /// <summary>audioset: the folder with the clips; file names follow <see cref="FilePattern"/>.</summary>
    [Option("audioset: the folder with the clips; file names follow FilePattern.")]
    public string? AudioDir { get; init; }
    /// <summary>audioset: file name of a segment, with {ytid}, {start} and {end}.</summary>
    [Option("audioset: file name of a segment, with {ytid}, {start} and {end}.")]
    public string FilePattern { get; init; } = AudioSetSegments.DefaultPattern;
    [Option("Settings of kind synthetic-audio.")]
    public SyntheticAudioConfig Synthetic { get; init; } = new();
}

public sealed record SyntheticAudioConfig
{
    [Option("Where the generated sounds are written.")]
    public string Root { get; init; } = "data/synthetic-audio";
    [Option("How many sound classes are generated.", Min = 2, Max = 10)]
    public int Classes { get; init; } = 10;
    [Option("Training clips per class.", Min = 1)]
    public int TrainPerClass { get; init; } = 100;
    [Option("Held-out clips per class.", Min = 1)]
    public int ValPerClass { get; init; } = 30;
    [Option("Length of each generated clip.", Min = 0, MinExclusive = true)]
    public double Seconds { get; init; } = 2.0;
}
