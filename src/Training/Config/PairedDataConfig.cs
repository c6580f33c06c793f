namespace Vicreg.Training.Config;

/// <summary>
/// Settings of the paired (image + sound) data kinds (data.paired). paired-manifest needs none of them (its CSV is
/// data.train, a held-out CSV data.val, a fold column follows data.audio.hold_out_fold); the sounds of every paired
/// kind are decoded at data.audio.sample_rate and cut by data.audio.view_a / view_b or the branch's own view.
/// </summary>
public sealed record PairedDataConfig
{
    public SyntheticPairsConfig Synthetic { get; init; } = new();

    /// <summary>video-frames: the clip folders and their frame rate; absent from config.json while unset.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public VideoFramesConfig? Frames { get; init; }
}

/// <summary>video-frames: one folder per clip with frame_0001.jpg … (extracted at <see cref="Fps"/>) and audio.wav.</summary>
public sealed record VideoFramesConfig
{
    /// <summary>The clips: root/&lt;class&gt;/&lt;clip&gt;/, or, with <see cref="LabelsCsv"/>, the folder its clip paths are relative to.</summary>
    public string? Root { get; init; }
    /// <summary>Held-out clips in the class-folder layout (optional; without it a fold column of the labels CSV
    /// holds out data.audio.hold_out_fold, and otherwise every 5th clip of each class is held out).</summary>
    public string? ValRoot { get; init; }
    /// <summary>The rate the frames were extracted at (ffmpeg -vf fps=R): frame_k is at (k − 1)/R s in audio.wav.</summary>
    /// <value>&gt; 0</value>
    public double Fps { get; init; }
    /// <summary>A CSV with clip,label[,fold] columns instead of class folders (clip: a folder relative to root).</summary>
    public string? LabelsCsv { get; init; }
}

/// <summary>synthetic-paired: shape c with sound c, nuisances drawn independently per modality.</summary>
public sealed record SyntheticPairsConfig
{
    /// <summary>Where the generated pairs are written (reused when they already match).</summary>
    public string Root { get; init; } = "data/synthetic-paired";
    /// <summary>How many classes of image + sound pairs to generate.</summary>
    public int Classes { get; init; } = 10;
    /// <summary>Training pairs per class.</summary>
    /// <value>≥ 1</value>
    public int TrainPerClass { get; init; } = 100;
    /// <summary>Held-out pairs per class.</summary>
    /// <value>≥ 1</value>
    public int ValPerClass { get; init; } = 30;
    /// <summary>Side of the generated images (views are cut from them at data.image_size or the branch's view.size).</summary>
    /// <value>≥ 16</value>
    public int ImageSize { get; init; } = 64;
    /// <summary>Length of the generated sounds, written at data.audio.sample_rate.</summary>
    /// <value>&gt; 0</value>
    public double Seconds { get; init; } = 2.0;
}
