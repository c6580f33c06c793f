namespace Vicreg.Training.Config;

/// <summary>
/// Settings of the paired (image + sound) data kinds (data.paired). paired-manifest needs none of them (its CSV is
/// data.train, a held-out CSV data.val, a fold column follows data.audio.hold_out_fold); the sounds of every paired
/// kind are decoded at data.audio.sample_rate and cut by data.audio.view_a / view_b or the branch's own view.
/// </summary>
public sealed record PairedDataConfig
{
    public SyntheticPairsConfig Synthetic { get; init; } = new();
}

/// <summary>synthetic-paired: shape c with sound c, nuisances drawn independently per modality.</summary>
public sealed record SyntheticPairsConfig
{
    public string Root { get; init; } = "data/synthetic-paired";
    public int Classes { get; init; } = 10;
    public int TrainPerClass { get; init; } = 100;
    public int ValPerClass { get; init; } = 30;
    /// <summary>Side of the generated images (views are cut from them at data.image_size or the branch's view.size).</summary>
    public int ImageSize { get; init; } = 64;
    /// <summary>Length of the generated sounds, written at data.audio.sample_rate.</summary>
    public double Seconds { get; init; } = 2.0;
}
