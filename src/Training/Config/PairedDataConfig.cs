using Vicreg.Core;

namespace Vicreg.Training.Config;

/// <summary>
/// Settings of the paired (image + sound) data kinds (data.paired). paired-manifest needs none of them (its CSV is
/// data.train, a held-out CSV data.val, a fold column follows data.audio.hold_out_fold); the sounds of every paired
/// kind are decoded at data.audio.sample_rate and cut by data.audio.view_a / view_b or the branch's own view.
/// </summary>
public sealed record PairedDataConfig
{
    [Option("Settings of kind synthetic-paired.")]
    public SyntheticPairsConfig Synthetic { get; init; } = new();

    /// <summary>video-frames: the clip folders and their frame rate; absent from config.json while unset.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    [Option("video-frames: the clip folders and their frame rate; absent from config.json while unset.")]
    public VideoFramesConfig? Frames { get; init; }
}

/// <summary>video-frames: one folder per clip with frame_0001.jpg … (extracted at <see cref="Fps"/>) and audio.wav.</summary>
public sealed record VideoFramesConfig
{
    /// <summary>The clips: root/&lt;class&gt;/&lt;clip&gt;/, or, with <see cref="LabelsCsv"/>, the folder its clip paths are relative to.</summary>
    [Option("The clips: root/<class>/<clip>/, or, with LabelsCsv, the folder its clip paths are relative to.")]
    public string? Root { get; init; }
    /// <summary>Held-out clips in the class-folder layout (optional; without it a fold column of the labels CSV
    /// holds out data.audio.hold_out_fold, and otherwise every 5th clip of each class is held out).</summary>
    [Option("Held-out clips in the class-folder layout (optional; without it a fold column of the labels CSV holds out data.audio.hold_out_fold, and otherwise every 5th clip of each class is held out).")]
    public string? ValRoot { get; init; }
    /// <summary>The rate the frames were extracted at (ffmpeg -vf fps=R): frame_k is at (k − 1)/R s in audio.wav.</summary>
    [Option("The rate the frames were extracted at (ffmpeg -vf fps=R): frame_k is at (k − 1)/R s in audio.wav.", Min = 0, MinExclusive = true)]
    public double Fps { get; init; }
    /// <summary>A CSV with clip,label[,fold] columns instead of class folders (clip: a folder relative to root).</summary>
    [Option("A CSV with clip,label[,fold] columns instead of class folders (clip: a folder relative to root).")]
    public string? LabelsCsv { get; init; }
}

/// <summary>synthetic-paired: shape c with sound c, nuisances drawn independently per modality.</summary>
public sealed record SyntheticPairsConfig
{
    [Option("Where the generated pairs are written.")]
    public string Root { get; init; } = "data/synthetic-paired";
    [Option("How many classes of pairs are generated.")]
    public int Classes { get; init; } = 10;
    [Option("Training pairs per class.", Min = 1)]
    public int TrainPerClass { get; init; } = 100;
    [Option("Held-out pairs per class.", Min = 1)]
    public int ValPerClass { get; init; } = 30;
    /// <summary>Side of the generated images (views are cut from them at data.image_size or the branch's view.size).</summary>
    [Option("Side of the generated images (views are cut from them at data.image_size or the branch's view.size).", Min = 16)]
    public int ImageSize { get; init; } = 64;
    /// <summary>Length of the generated sounds, written at data.audio.sample_rate.</summary>
    [Option("Length of the generated sounds, written at data.audio.sample_rate.", Min = 0, MinExclusive = true)]
    public double Seconds { get; init; } = 2.0;
}
