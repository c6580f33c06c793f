using Vicreg.Data;

namespace Vicreg.Training.Sources;

/// <summary>
/// The samples a data config points at: <see cref="Train"/> for pretraining and probe training, <see cref="HeldOut"/>
/// for testing the probes (null when the data has none), and both together with their folds for cross-validation.
/// </summary>
public sealed record DataSplits(ISampleSet Train, ISampleSet? HeldOut)
{
    public IReadOnlyList<string> Classes => Train.Classes;

    /// <summary>Samples the listing left out before any file was read (a clip folder without frames or audio.wav);
    /// the summary counts them with the pairs left out whole.</summary>
    public int LeftOut { get; init; }

    /// <summary>Train and held-out samples together (the folds of ESC-50's 5-fold protocol).</summary>
    public SampleSet All => new(Train.Concat(HeldOut ?? Enumerable.Empty<Sample>()).ToList(), Train.Classes, Train.Source);

    /// <summary>Train and held-out sets from separate sources, which must name the same classes.</summary>
    public static DataSplits FromSeparate(ISampleSet train, ISampleSet? heldOut, string heldOutField, string trainField)
    {
        if (heldOut is not null && !heldOut.Classes.SequenceEqual(train.Classes))
            throw new InvalidDataException($"{heldOutField} ({heldOut.Source}) has classes that differ from {trainField} ({train.Source}); the probes need the same classes");
        return new DataSplits(train, heldOut);
    }

    /// <summary>Holds out fold <paramref name="fold"/> (ESC-50's fold 5 gives the paper's 1600/400 split).</summary>
    public static DataSplits ByFold(SampleSet all, int fold, string field)
    {
        if (!all.Folds.Contains(fold))
            throw new InvalidDataException($"{field}: fold {fold} is not in {all.Source} (folds: {string.Join(", ", all.Folds)})");
        var (train, held) = all.SplitByFold(fold);
        return new DataSplits(train, held);
    }

    /// <summary>Holds out every 5th sample of each class, for data that comes without a held-out set.</summary>
    public static DataSplits EveryFifth(SampleSet all, Action<string> info)
    {
        info($"{all.Source}: no held-out set given; every 5th sample of each class is held out for evaluation");
        var (train, held) = all.SplitEvery(5);
        return new DataSplits(train, held);
    }
}
