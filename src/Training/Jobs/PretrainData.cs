using Vicreg.Data;
using Vicreg.Data.Audio;
using Vicreg.Encoders;
using Vicreg.Training.Config;
using Vicreg.Training.Evaluation;
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
    int Classes { get; }
    /// <summary>Inputs for the collapse diagnostics: centre views of a fixed spread of training samples for branch A,
    /// and for branch B when the branches are unshared (null when shared).</summary>
    (Tensor A, Tensor? B) DiagnosticViews(int samples, bool shared);
    /// <summary>Train and held-out features of an encoder, for the online kNN; null when there is no held-out data.</summary>
    Func<Encoder, (FeatureSet Train, FeatureSet Val)>? KnnFeatures(Device device);
    /// <summary>Writes what the loader has to say once training ends (peak memory, skipped or padded files).</summary>
    void ReportLoader(Action<string> info);
    IReadOnlyList<ProbeRow> Probe(ExperimentConfig c, RunFolder run, JointEmbedding trained, long step, Device device, Action<string> info);
}

public static class PretrainData
{
    /// <summary>The data a config points at (generating synthetic sets first), as view pairs.</summary>
    /// <param name="run">The run folder; image file indexes are cached in its index/ folder.</param>
    public static IPretrainData Prepare(ExperimentConfig c, RunFolder run, Action<string> info) =>
        AudioConfigValidator.IsAudio(c.Data.Kind) ? new AudioPretrainData(c, info) : new ImagePretrainData(c, run, info);
}

/// <summary>Two augmentations of each image (the paper's ImageNet setting).</summary>
internal sealed class ImagePretrainData : IPretrainData
{
    private readonly ImageDataSets sets;
    private readonly ImageLoader loader;
    private readonly int size;
    private readonly bool cacheDecoded;
    private readonly ImageDecodeOptions decodeOptions;
    private readonly Action<string> info;
    private ImageLoader? valLoader;

    private readonly ImageViewPairs pairs;
    private readonly int workers, prefetch;

    public ImagePretrainData(ExperimentConfig c, RunFolder run, Action<string> info)
    {
        workers = c.Data.Workers;
        prefetch = c.Data.Prefetch;
        this.info = info;
        size = c.Data.ImageSize;
        cacheDecoded = c.Data.CacheDecoded;
        decodeOptions = ImageDataSets.DecodeOptions(c.Data);
        sets = ImageDataSets.Prepare(c.Data, c.Seed, info, Path.Combine(run.Root, "index"));
        loader = new ImageLoader(sets.Train, c.Data.CacheDecoded, new LineWriter(info), decodeOptions);
        var (viewA, viewB) = PretrainJob.Views(c.Data);
        pairs = new ImageViewPairs(loader, sets.Train, viewA, viewB, c.Optim.BatchSize, c.Seed, c.Data.Workers, c.Data.Prefetch);
    }

    public IViewPairSource Pairs => pairs;

    public void ReportLoader(Action<string> info) =>
        info($"image loader: peak {pairs.PeakLoaderBytes / (1024.0 * 1024):F0} MiB held ({workers} workers, {prefetch} batches prefetched), {loader.SkippedCount} file(s) skipped");
    public int SkippedFiles => loader.SkippedCount;
    public int Classes => sets.Train.Classes.Count;

    public (Tensor A, Tensor? B) DiagnosticViews(int samples, bool shared)
    {
        var views = RunInstruments.CenterViews(loader, RunInstruments.FixedSample(sets.Train.Count, samples), size);
        return (views, shared ? null : views);
    }

    public Func<Encoder, (FeatureSet Train, FeatureSet Val)>? KnnFeatures(Device device)
    {
        if (sets.Val is not { } val) return null;
        valLoader ??= new ImageLoader(val, cacheDecoded, new LineWriter(info), decodeOptions);
        return encoder => (FeatureExtractor.Extract(encoder, loader, sets.Train, size, device),
                           FeatureExtractor.Extract(encoder, valLoader, val, size, device));
    }

    public IReadOnlyList<ProbeRow> Probe(ExperimentConfig c, RunFolder run, JointEmbedding trained, long step, Device device, Action<string> info) =>
        LinearEvalJob.Run(c, run, trained, step, device, sets, info);

    public void Dispose()
    {
        loader.Dispose();
        valLoader?.Dispose();
    }
}

/// <summary>Two crops of each clip, one per branch (the paper's waveform ↔ spectrogram setting).</summary>
internal sealed class AudioPretrainData : IPretrainData
{
    private readonly AudioDataSets sets;
    private readonly AudioClipCache clips = new();
    private readonly AudioViewPairs pairs;
    private readonly Action<string> info;

    private readonly int rate;
    private readonly double evalSeconds;
    private readonly AudioViewAugmentation viewA;

    public AudioPretrainData(ExperimentConfig c, Action<string> info)
    {
        this.info = info;
        rate = c.Data.Audio.SampleRate;
        evalSeconds = c.Data.Audio.EvalSeconds;
        viewA = c.Data.Audio.ViewA;
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
    public int Classes => sets.All.Classes.Count;

    /// <summary>Centred crops (view A's length) of a fixed spread of training clips; both branches take waveforms.</summary>
    public (Tensor A, Tensor? B) DiagnosticViews(int samples, bool shared)
    {
        var loader = new AudioLoader(sets.Train.Samples, rate, info, clips);
        var picked = RunInstruments.FixedSample(sets.Train.Count, samples).Where(i => loader.TryLoad(i) is not null).ToArray();
        int length = AudioTwoViewBatches.CropLength(viewA, rate);
        var flat = new float[picked.Length * length];
        for (int k = 0; k < picked.Length; k++) AudioViews.Centre(loader.TryLoad(picked[k]), flat.AsSpan(k * length, length));
        var views = tensor(flat, new long[] { picked.Length, 1, length });
        return (views, shared ? null : views);
    }

    public Func<Encoder, (FeatureSet Train, FeatureSet Val)>? KnnFeatures(Device device)
    {
        var train = new AudioLoader(sets.Train.Samples, rate, info, clips);
        var held = new AudioLoader(sets.HeldOut.Samples, rate, info, clips);
        return encoder => (AudioFeatureExtractor.Extract(encoder, train, sets.Train.Samples, evalSeconds, device, rows: Readable(train)),
                           AudioFeatureExtractor.Extract(encoder, held, sets.HeldOut.Samples, evalSeconds, device, rows: Readable(held)));
    }

    private static int[] Readable(AudioLoader loader) => Enumerable.Range(0, loader.Count).Where(i => loader.TryLoad(i) is not null).ToArray();

    public IReadOnlyList<ProbeRow> Probe(ExperimentConfig c, RunFolder run, JointEmbedding trained, long step, Device device, Action<string> info) =>
        AudioEvalJob.Run(c, run, trained, step, device, sets, info, clips);

    public void ReportLoader(Action<string> info)
    {
        if (pairs.PaddedClips > 0)
            info($"{pairs.PaddedClips} training views came from clips shorter than their crop and were zero-padded at the end");
        if (clips.SkippedCount > 0) info($"{clips.SkippedCount} audio file(s) skipped");
    }

    public void Dispose() { }
}
