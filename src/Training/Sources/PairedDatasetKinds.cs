using Vicreg.Data;
using Vicreg.Data.Paired;
using Vicreg.Training.Config;

namespace Vicreg.Training.Sources;

/// <summary>
/// The paired layouts, whose samples carry an image and a sound (a video frame and its soundtrack): a CSV manifest
/// of image,audio[,label][,fold] rows (<see cref="PairedManifest"/>) and the generated pairs of the audio-visual
/// quickstart (<see cref="SyntheticPairs"/>). Branch A and branch B each take one modality and read their own file
/// of every pair. A manifest with folds holds out data.audio.hold_out_fold; otherwise data.val when given, and
/// else every 5th pair of each class. Sounds are decoded at data.audio.sample_rate.
/// </summary>
public static class PairedDatasetKinds
{
    private static readonly string[] ImageAndAudio = { "image", "audio" };

    public static IEnumerable<DatasetKind> All => new[]
    {
        new DatasetKind("paired-manifest", ImageAndAudio, (c, require) =>
        {
            require(!string.IsNullOrWhiteSpace(c.Data.Train), "data.train", "is required for kind paired-manifest (a CSV with image,audio[,label][,fold] columns)");
            AudioDatasetKinds.ValidateAudio(c, require);
        }, Manifest),
        new DatasetKind("synthetic-paired", ImageAndAudio, (c, require) =>
        {
            ValidateSynthetic(c, require);
            AudioDatasetKinds.ValidateAudio(c, require);
        }, Synthetic),
    };

    private static DataSplits Manifest(DataRequest r)
    {
        var all = Loaded(r.Data.Train!, r.Info);
        if (!string.IsNullOrWhiteSpace(r.Data.Val)) return DataSplits.FromSeparate(all, Loaded(r.Data.Val, r.Info), "data.val", "data.train");
        return all.Samples.Any(s => s.Fold != 0) ? DataSplits.ByFold(all, r.Data.Audio.HoldOutFold, "data.audio.hold_out_fold") : DataSplits.EveryFifth(all, r.Info);
    }

    private static SampleSet Loaded(string csv, Action<string> info)
    {
        var set = PairedManifest.Load(csv);
        info(set.Classes is [PairedManifest.Unlabelled]
            ? $"{set.Source}: {set.Count} image–sound pairs without labels (the probes need a label column)"
            : $"{set.Source}: {set.Count} image–sound pairs in {set.Classes.Count} classes");
        return set;
    }

    private static DataSplits Synthetic(DataRequest r)
    {
        var s = (r.Data.Paired ?? new PairedDataConfig()).Synthetic;
        int rate = r.Data.Audio.SampleRate;
        r.Info($"synthetic pairs: {s.Classes} classes × ({s.TrainPerClass} train + {s.ValPerClass} val), {s.ImageSize}-px patterns with {s.Seconds}-s sounds at {rate} Hz in {Path.GetFullPath(s.Root)}");
        SyntheticPairs.Generate(s.Root, new SyntheticPairOptions(s.Classes, s.TrainPerClass, s.ValPerClass, s.ImageSize, s.Seconds, rate, r.Seed));
        return DataSplits.FromSeparate(PairedManifest.Load(SyntheticPairs.TrainManifest(s.Root)), PairedManifest.Load(SyntheticPairs.ValManifest(s.Root)), "data.val", "data.train");
    }

    private static void ValidateSynthetic(ExperimentConfig c, Action<bool, string, string> require)
    {
        var s = (c.Data.Paired ?? new PairedDataConfig()).Synthetic;
        require(s.Classes >= 2 && s.Classes <= SyntheticPairs.MaxClasses, "data.paired.synthetic.classes", $"must be between 2 and {SyntheticPairs.MaxClasses}; got {s.Classes}");
        require(s.TrainPerClass >= 1, "data.paired.synthetic.train_per_class", "must be ≥ 1");
        require(s.ValPerClass >= 1, "data.paired.synthetic.val_per_class", "must be ≥ 1");
        require(s.ImageSize >= 16, "data.paired.synthetic.image_size", $"must be ≥ 16; got {s.ImageSize}");
        require(s.Seconds > 0, "data.paired.synthetic.seconds", "must be > 0");
    }
}
