using Vicreg.Core;
using Vicreg.Data;
using Vicreg.Data.Audio;
using Vicreg.Training.Config;

namespace Vicreg.Training.Sources;

/// <summary>
/// The audio layouts: ESC-50, a folder per class, a CSV manifest, AudioSet segments and the generated sounds of the
/// audio quickstart. ESC-50 and manifests with folds hold out data.audio.hold_out_fold; folders use data.val when
/// given, and otherwise every 5th clip of each class. Every clip is decoded to mono at data.audio.sample_rate.
/// </summary>
public static class AudioDatasetKinds
{
    private static readonly string[] Audio = { Modalities.Audio };

    public static IEnumerable<DatasetKind> All => new[]
    {
        Kind("esc50", "is required for kind esc50 (the ESC-50 root, with audio/ and meta/esc50.csv)",
            r => DataSplits.ByFold(Esc50Dataset.Load(r.Data.Train!, r.Info), r.Data.Audio.HoldOutFold, "data.audio.hold_out_fold")),
        Kind("audio-folder", "is required for kind audio-folder (a folder with one subfolder of audio files per class: .wav, .flac, .ogg, .opus, .mp3)",
            r => string.IsNullOrWhiteSpace(r.Data.Val)
                ? DataSplits.EveryFifth(Folder(r, r.Data.Train!), r.Info)
                : DataSplits.FromSeparate(Folder(r, r.Data.Train!), Folder(r, r.Data.Val), "data.val", "data.train")) with { Layout = DataLayout.ClassFolders },
        Kind("audio-manifest", "is required for kind audio-manifest (a CSV with path,label[,fold])", Manifest) with { Layout = DataLayout.FileList },
        Kind("audioset", "is required for kind audioset (the segments CSV: YTID, start_seconds, end_seconds, positive_labels)", AudioSet,
            (data, require) => require(!string.IsNullOrWhiteSpace(data.Audio.AudioDir), "data.audio.audio_dir", "is required for kind audioset (the folder with the segment files)")),
        new DatasetKind("synthetic-audio", Audio, (data, require) => { ValidateAudio(data, require); ValidateSynthetic(data, require); }, Synthetic)
            { GeneratedClasses = data => data.Audio.Synthetic.Classes },
    };

    private static DatasetKind Kind(string name, string trainRequired, Func<DataRequest, DataSplits> prepare,
        Action<DataConfig, Action<bool, string, string>>? more = null) =>
        new(name, Audio, (data, require) =>
        {
            require(!string.IsNullOrWhiteSpace(data.Train), "data.train", trainRequired);
            more?.Invoke(data, require);
            ValidateAudio(data, require);
        }, prepare);

    /// <summary>A folder per class; empty class folders are refused or left out (data.empty_classes).</summary>
    private static SampleSet Folder(DataRequest r, string root) =>
        SampleSet.Of(EmptyClasses.Apply(ClassFolders.Scan(root, "Audio", AudioFormats.Extensions, r.Data.Audio.LabelLevel), r.Data.EmptyClasses == "ignore", r.Info, $"audio files ({string.Join("/", AudioFormats.Extensions)})"));

    private static DataSplits Manifest(DataRequest r)
    {
        var all = AudioManifest.Load(r.Data.Train!, r.Info);
        if (!string.IsNullOrWhiteSpace(r.Data.Val)) return DataSplits.FromSeparate(all, AudioManifest.Load(r.Data.Val, r.Info), "data.val", "data.train");
        return all.Samples.Any(s => s.Fold != 0) ? DataSplits.ByFold(all, r.Data.Audio.HoldOutFold, "data.audio.hold_out_fold") : DataSplits.EveryFifth(all, r.Info);
    }

    private static DataSplits AudioSet(DataRequest r)
    {
        var a = r.Data.Audio;
        var all = AudioSetSegments.Load(r.Data.Train!, a.AudioDir!, a.FilePattern, r.Info);
        return string.IsNullOrWhiteSpace(r.Data.Val)
            ? DataSplits.EveryFifth(all, r.Info)
            : DataSplits.FromSeparate(all, AudioSetSegments.Load(r.Data.Val, a.AudioDir!, a.FilePattern, r.Info), "data.val", "data.train");
    }

    private static DataSplits Synthetic(DataRequest r)
    {
        var a = r.Data.Audio;
        var s = a.Synthetic;
        r.Info($"synthetic audio: {s.Classes} classes × ({s.TrainPerClass} train + {s.ValPerClass} val), {s.Seconds} s at {a.SampleRate} Hz in {Path.GetFullPath(s.Root)}");
        SyntheticAudio.Generate(s.Root, new SyntheticAudioOptions(s.Classes, s.TrainPerClass, s.ValPerClass, s.Seconds, a.SampleRate, r.Seed));
        return DataSplits.FromSeparate(ClassFolders.Scan(Path.Combine(s.Root, "train"), "Audio", new[] { ".wav" }), ClassFolders.Scan(Path.Combine(s.Root, "val"), "Audio", new[] { ".wav" }), "data.val", "data.train");
    }

    /// <summary>The data.audio settings every audio kind reads.</summary>
    internal static void ValidateAudio(DataConfig data, Action<bool, string, string> require)
    {
        var a = data.Audio;
        require(a.SampleRate is >= 4000 and <= 192000, "data.audio.sample_rate", $"must be between 4000 and 192000; got {a.SampleRate}");
        require(a.EvalSeconds > 0, "data.audio.eval_seconds", $"must be > 0; got {a.EvalSeconds}");
        require(a.HoldOutFold >= 1, "data.audio.hold_out_fold", $"must be ≥ 1; got {a.HoldOutFold}");
        require(a.LabelLevel is >= 1 and <= 8, "data.audio.label_level", $"must be between 1 and 8; got {a.LabelLevel}");
        foreach (var (view, field) in new[] { (a.ViewA, "data.audio.view_a"), (a.ViewB, "data.audio.view_b") })
            foreach (var problem in view.Problems()) require(false, field, problem);
    }

    private static void ValidateSynthetic(DataConfig data, Action<bool, string, string> require)
    {
        var s = data.Audio.Synthetic;
        require(s.Classes is >= 2 and <= 10, "data.audio.synthetic.classes", $"must be between 2 and 10; got {s.Classes}");
        require(s.TrainPerClass >= 1, "data.audio.synthetic.train_per_class", "must be ≥ 1");
        require(s.ValPerClass >= 1, "data.audio.synthetic.val_per_class", "must be ≥ 1");
        require(s.Seconds > 0, "data.audio.synthetic.seconds", "must be > 0");
    }
}
