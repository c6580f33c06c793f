using Vicreg.Core;
using Vicreg.Data;
using Vicreg.Data.Paired;
using Vicreg.Training.Config;

namespace Vicreg.Training.Sources;

/// <summary>
/// The paired layouts, whose samples carry an image and a sound (a video frame and its soundtrack): a CSV manifest
/// of image,audio[,label][,fold] rows (<see cref="PairedManifest"/>), folders of video clips with their frames and
/// soundtrack (<see cref="VideoFrames"/>), and the generated pairs of the audio-visual quickstart
/// (<see cref="SyntheticPairs"/>). Branch A and branch B each take one modality and read their own file of every
/// pair. A manifest or labels CSV with folds holds out data.audio.hold_out_fold; otherwise data.val
/// (data.paired.frames.val_root) when given, and else every 5th pair of each class. Sounds are decoded at
/// data.audio.sample_rate.
/// </summary>
public static class PairedDatasetKinds
{
    private static readonly string[] ImageAndAudio = { Modalities.Image, Modalities.Audio };

    public static IEnumerable<DatasetKind> All => new[]
    {
        new DatasetKind("paired-manifest", ImageAndAudio, (data, require) =>
        {
            require(!string.IsNullOrWhiteSpace(data.Train), "data.train", "is required for kind paired-manifest (a CSV with image,audio[,label][,fold] columns)");
            AudioDatasetKinds.ValidateAudio(data, require);
        }, Manifest),
        new DatasetKind("video-frames", ImageAndAudio, (data, require) =>
        {
            ValidateFrames(data, require);
            AudioDatasetKinds.ValidateAudio(data, require);
        }, Frames),
        new DatasetKind("synthetic-paired", ImageAndAudio, (data, require) =>
        {
            ValidateSynthetic(data, require);
            AudioDatasetKinds.ValidateAudio(data, require);
        }, Synthetic) { GeneratedClasses = data => (data.Paired ?? new PairedDataConfig()).Synthetic.Classes },
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

    private static DataSplits Frames(DataRequest r)
    {
        var f = r.Data.Paired!.Frames!;
        var (all, leftOut) = Clips(f.Root!, f, r);
        DataSplits splits;
        if (!string.IsNullOrWhiteSpace(f.ValRoot))
        {
            var (held, heldLeftOut) = Clips(f.ValRoot, f, r);
            splits = DataSplits.FromSeparate(all, held, "data.paired.frames.val_root", "data.paired.frames.root");
            leftOut += heldLeftOut;
        }
        else splits = all.Samples.Any(s => s.Fold != 0) ? DataSplits.ByFold(all, r.Data.Audio.HoldOutFold, "data.audio.hold_out_fold") : DataSplits.EveryFifth(all, r.Info);
        return splits with { LeftOut = leftOut };
    }

    private static (SampleSet Set, int LeftOut) Clips(string root, VideoFramesConfig f, DataRequest r)
    {
        var clips = string.IsNullOrWhiteSpace(f.LabelsCsv)
            ? VideoFrames.ScanClassFolders(root, f.Fps, r.Info)
            : VideoFrames.ScanListed(root, f.LabelsCsv, f.Fps, r.Info);
        var set = SampleSet.Of(EmptyClasses.Apply(clips.Set, r.Data.EmptyClasses == "ignore", r.Info, "clip folders with frames and audio.wav"));
        int frames = set.Samples.Sum(s => s.Frames!.Count);
        r.Info($"{set.Source}: {set.Count} clips in {set.Classes.Count} classes, {frames} frames at {f.Fps:0.###}/s" +
            (clips.LeftOut > 0 ? $"; {clips.LeftOut} clip folder(s) left out (no frames or no {VideoFrames.AudioFile})" : ""));
        return (set, clips.LeftOut);
    }

    private static void ValidateFrames(DataConfig data, Action<bool, string, string> require)
    {
        var f = data.Paired?.Frames;
        require(f is not null, "data.paired.frames", "is required for kind video-frames ({ \"root\": …, \"fps\": … })");
        if (f is null) return;
        require(!string.IsNullOrWhiteSpace(f.Root), "data.paired.frames.root", "is required for kind video-frames (one folder per clip with frame_0001.jpg … and audio.wav)");
        require(f.Fps > 0, "data.paired.frames.fps", $"must be > 0: the rate the frames were extracted at (ffmpeg -vf fps=R); got {f.Fps}");
        require(string.IsNullOrWhiteSpace(f.LabelsCsv) || string.IsNullOrWhiteSpace(f.ValRoot), "data.paired.frames.val_root",
            "is for the class-folder layout; with labels_csv, a fold column holds out data.audio.hold_out_fold");
    }

    private static DataSplits Synthetic(DataRequest r)
    {
        var s = (r.Data.Paired ?? new PairedDataConfig()).Synthetic;
        int rate = r.Data.Audio.SampleRate;
        r.Info($"synthetic pairs: {s.Classes} classes × ({s.TrainPerClass} train + {s.ValPerClass} val), {s.ImageSize}-px patterns with {s.Seconds}-s sounds at {rate} Hz in {Path.GetFullPath(s.Root)}");
        SyntheticPairs.Generate(s.Root, new SyntheticPairOptions(s.Classes, s.TrainPerClass, s.ValPerClass, s.ImageSize, s.Seconds, rate, r.Seed));
        return DataSplits.FromSeparate(PairedManifest.Load(SyntheticPairs.TrainManifest(s.Root)), PairedManifest.Load(SyntheticPairs.ValManifest(s.Root)), "data.val", "data.train");
    }

    private static void ValidateSynthetic(DataConfig data, Action<bool, string, string> require)
    {
        var s = (data.Paired ?? new PairedDataConfig()).Synthetic;
        require(s.Classes >= 2 && s.Classes <= SyntheticPairs.MaxClasses, "data.paired.synthetic.classes", $"must be between 2 and {SyntheticPairs.MaxClasses}; got {s.Classes}");
        require(s.TrainPerClass >= 1, "data.paired.synthetic.train_per_class", "must be ≥ 1");
        require(s.ValPerClass >= 1, "data.paired.synthetic.val_per_class", "must be ≥ 1");
        require(s.ImageSize >= 16, "data.paired.synthetic.image_size", $"must be ≥ 16; got {s.ImageSize}");
        require(s.Seconds > 0, "data.paired.synthetic.seconds", "must be > 0");
    }
}
