using Vicreg.Data;
using Vicreg.Data.Audio;
using Vicreg.Training.Config;
using Vicreg.Training.Model;
using Vicreg.Training.Pipeline;
using Vicreg.Training.Runs;
using static TorchSharp.torch;

namespace Vicreg.Training.Jobs;

/// <summary>
/// What a pretraining run needs from its data, whatever the modality: the view pairs to train on, the count of
/// unreadable files, and the linear probes on held-out data. <see cref="PretrainJob"/> knows only this.
/// </summary>
public interface IPretrainData : IDisposable
{
    IViewPairSource Pairs { get; }
    int SkippedFiles { get; }
    IReadOnlyList<ProbeRow> Probe(ExperimentConfig c, RunFolder run, JointEmbedding trained, long step, Device device, Action<string> info);
}

public static class PretrainData
{
    /// <summary>The data a config points at (generating synthetic sets first), as view pairs.</summary>
    public static IPretrainData Prepare(ExperimentConfig c, Action<string> info) =>
        AudioConfigValidator.IsAudio(c.Data.Kind) ? new AudioPretrainData(c, info) : new ImagePretrainData(c, info);
}

/// <summary>Two augmentations of each image (the paper's ImageNet setting).</summary>
internal sealed class ImagePretrainData : IPretrainData
{
    private readonly ImageDataSets sets;
    private readonly ImageLoader loader;

    public ImagePretrainData(ExperimentConfig c, Action<string> info)
    {
        sets = ImageDataSets.Prepare(c.Data, c.Seed, info);
        loader = new ImageLoader(sets.Train, c.Data.CacheDecoded, new LineWriter(info));
        var (viewA, viewB) = PretrainJob.Views(c.Data);
        Pairs = new ImageViewPairs(loader, sets.Train, viewA, viewB, c.Optim.BatchSize, c.Seed, c.Data.Workers);
    }

    public IViewPairSource Pairs { get; }
    public int SkippedFiles => loader.SkippedCount;

    public IReadOnlyList<ProbeRow> Probe(ExperimentConfig c, RunFolder run, JointEmbedding trained, long step, Device device, Action<string> info) =>
        LinearEvalJob.Run(c, run, trained, step, device, sets, info);

    public void Dispose() => loader.Dispose();
}

/// <summary>Two crops of each clip, one per branch (the paper's waveform ↔ spectrogram setting).</summary>
internal sealed class AudioPretrainData : IPretrainData
{
    private readonly AudioDataSets sets;
    private readonly AudioClipCache clips = new();
    private readonly AudioViewPairs pairs;
    private readonly Action<string> info;

    public AudioPretrainData(ExperimentConfig c, Action<string> info)
    {
        this.info = info;
        sets = AudioDataSets.Prepare(c.Data, c.Seed, info);
        var a = c.Data.Audio;
        info($"audio: {sets.Train.Count} clips for pretraining, {sets.HeldOut.Count} held out, {sets.Train.Classes.Count} classes, {a.SampleRate} Hz; " +
             $"crops {a.ViewA.CropSeconds} s (branch A) and {a.ViewB.CropSeconds} s (branch B)");
        var loader = new AudioLoader(sets.Train.Samples, a.SampleRate, info, clips);
        pairs = new AudioViewPairs(loader, sets.Train.Samples, a.ViewA, a.ViewB, c.Optim.BatchSize, c.Seed, c.Data.Workers);
    }

    public IViewPairSource Pairs => pairs;
    /// <summary>Unreadable files among the training and the held-out clips.</summary>
    public int SkippedFiles => clips.SkippedCount;

    public IReadOnlyList<ProbeRow> Probe(ExperimentConfig c, RunFolder run, JointEmbedding trained, long step, Device device, Action<string> info)
    {
        ReportPadding();
        return AudioEvalJob.Run(c, run, trained, step, device, sets, info, clips);
    }

    private void ReportPadding()
    {
        if (pairs.PaddedClips > 0)
            info($"{pairs.PaddedClips} training views came from clips shorter than their crop and were zero-padded at the end");
    }

    public void Dispose() => ReportPadding();
}
