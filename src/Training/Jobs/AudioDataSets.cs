using Vicreg.Data;
using Vicreg.Data.Audio;
using Vicreg.Training.Config;

namespace Vicreg.Training.Jobs;

/// <summary>
/// The clips an audio config points at: <see cref="Train"/> for pretraining and probe training,
/// <see cref="HeldOut"/> for testing the probe, and <see cref="All"/> (with folds) for cross-validation.
/// ESC-50 and manifests with folds hold out data.audio.hold_out_fold; folders use data.val when given, and
/// otherwise every 5th clip of each class.
/// </summary>
public sealed record AudioDataSets(AudioDataset Train, AudioDataset HeldOut, AudioDataset All)
{
    public static AudioDataSets Prepare(DataConfig data, int seed, Action<string> info)
    {
        var a = data.Audio;
        switch (data.Kind)
        {
            case "synthetic-audio":
            {
                var s = a.Synthetic;
                info($"synthetic audio: {s.Classes} classes × ({s.TrainPerClass} train + {s.ValPerClass} val), {s.Seconds} s at {a.SampleRate} Hz in {Path.GetFullPath(s.Root)}");
                SyntheticAudio.Generate(s.Root, new SyntheticAudioOptions(s.Classes, s.TrainPerClass, s.ValPerClass, s.Seconds, a.SampleRate, seed));
                return FromFolders(AudioFolderDataset.Load(Path.Combine(s.Root, "train")), AudioFolderDataset.Load(Path.Combine(s.Root, "val")));
            }
            case "esc50":
                return ByFold(Esc50Dataset.Load(data.Train!, info), a.HoldOutFold, "data.audio.hold_out_fold");
            case "audio-manifest":
            {
                var all = AudioManifest.Load(data.Train!, info);
                if (!string.IsNullOrWhiteSpace(data.Val)) return FromFolders(all, AudioManifest.Load(data.Val, info));
                return all.Samples.Any(s => s.Fold != 0) ? ByFold(all, a.HoldOutFold, "data.audio.hold_out_fold") : Split(all, info);
            }
            case "audioset":
            {
                var all = AudioSetSegments.Load(data.Train!, a.AudioDir!, a.FilePattern, info);
                return string.IsNullOrWhiteSpace(data.Val)
                    ? Split(all, info)
                    : FromFolders(all, AudioSetSegments.Load(data.Val, a.AudioDir!, a.FilePattern, info));
            }
            default:
            {
                AudioDataset Folder(string root) => EmptyClasses.Apply(AudioFolderDataset.Load(root), data.EmptyClasses == "ignore", info);
                var train = Folder(data.Train!);
                return string.IsNullOrWhiteSpace(data.Val) ? Split(train, info) : FromFolders(train, Folder(data.Val));
            }
        }
    }

    private static AudioDataSets ByFold(AudioDataset all, int fold, string field)
    {
        if (!all.Folds.Contains(fold))
            throw new InvalidDataException($"{field}: fold {fold} is not in {all.Source} (folds: {string.Join(", ", all.Folds)})");
        var (train, held) = all.SplitByFold(fold);
        return new AudioDataSets(train, held, all);
    }

    private static AudioDataSets Split(AudioDataset all, Action<string> info)
    {
        info($"{all.Source}: no held-out set given; every 5th clip of each class is held out for evaluation");
        var (train, held) = all.SplitEvery(5);
        return new AudioDataSets(train, held, all);
    }

    private static AudioDataSets FromFolders(AudioDataset train, AudioDataset val)
    {
        if (!val.Classes.SequenceEqual(train.Classes))
            throw new InvalidDataException($"data.val ({val.Source}) has classes that differ from data.train ({train.Source}); the probe needs the same classes");
        return new AudioDataSets(train, val, train with { Samples = train.Samples.Concat(val.Samples).ToList() });
    }
}
