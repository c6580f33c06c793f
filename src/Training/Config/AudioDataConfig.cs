using Vicreg.Data.Audio;

namespace Vicreg.Training.Config;

/// <summary>
/// Audio data settings (data.audio), used by the audio data kinds: esc50, audio-folder, audio-manifest,
/// audioset and synthetic-audio. Every clip is decoded to mono at <see cref="SampleRate"/>; each branch cuts
/// its own view (view_a → branch A, view_b → branch B); evaluation uses the centred <see cref="EvalSeconds"/>.
/// </summary>
public sealed record AudioDataConfig
{
    /// <summary>Every clip is decoded to mono and resampled to this rate, in Hz.</summary>
    /// <value>in [4000, 192000]</value>
    public int SampleRate { get; init; } = 16000;
    /// <summary>Augmentation of branch A's audio views.</summary>
    public AudioViewAugmentation ViewA { get; init; } = new();
    /// <summary>Augmentation of branch B's audio views.</summary>
    public AudioViewAugmentation ViewB { get; init; } = new();
    /// <summary>Length of the centred crop used for features at evaluation (ESC-50 clips are 5 s).</summary>
    /// <value>&gt; 0</value>
    public double EvalSeconds { get; init; } = 5.0;
    /// <summary>ESC-50 (or a manifest with a fold column): the fold held out of pretraining and of probe training;
    /// the probe is tested on it. Fold 5 gives the paper's 1600/400 split.</summary>
    /// <value>≥ 1</value>
    public int HoldOutFold { get; init; } = 5;
    /// <summary>Also probe with each fold held out in turn and report the mean (ESC-50's 5-fold protocol, on the
    /// frozen encoder pretrained without hold_out_fold).</summary>
    public bool CrossValidation { get; init; }
    /// <summary>audio-folder: which folder level below data.train names a file's class: 1, its subfolders; 2, theirs
    /// (LibriSpeech's speaker/chapter/*.flac by chapter). Files are found at any depth below a class folder.</summary>
    /// <value>in [1, 8]</value>
    public int LabelLevel { get; init; } = 1;
    /// <summary>audioset: the folder with the clips; file names follow <see cref="FilePattern"/>.</summary>
    public string? AudioDir { get; init; }
    /// <summary>audioset: file name of a segment, with {ytid}, {start} and {end}.</summary>
    public string FilePattern { get; init; } = AudioSetSegments.DefaultPattern;
    /// <summary>The generated sounds of kind synthetic-audio.</summary>
    public SyntheticAudioConfig Synthetic { get; init; } = new();
}

public sealed record SyntheticAudioConfig
{
    /// <summary>Where the generated sounds are written (reused when they already match).</summary>
    public string Root { get; init; } = "data/synthetic-audio";
    /// <summary>How many sound classes to generate.</summary>
    /// <value>in [2, 10]</value>
    public int Classes { get; init; } = 10;
    /// <summary>Training clips per class.</summary>
    /// <value>≥ 1</value>
    public int TrainPerClass { get; init; } = 100;
    /// <summary>Held-out clips per class.</summary>
    /// <value>≥ 1</value>
    public int ValPerClass { get; init; } = 30;
    /// <summary>Length of each clip, in seconds.</summary>
    /// <value>&gt; 0</value>
    public double Seconds { get; init; } = 2.0;
}
