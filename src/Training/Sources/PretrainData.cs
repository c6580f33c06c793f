using Vicreg.Data;
using Vicreg.Encoders;
using Vicreg.Training.Config;
using Vicreg.Training.Evaluation;
using Vicreg.Training.Model;
using static TorchSharp.torch;

namespace Vicreg.Training.Sources;

/// <summary>
/// What a pretraining run needs from its data, for any modality pairing: the two-view batches to train on, the
/// fixed views of the collapse diagnostics, the features of the online kNN, and the loader's report.
/// </summary>
public sealed class PretrainData : IDisposable
{
    private PretrainData(ExperimentConfig c, RunData data, int rank, int ranks)
    {
        Data = data;
        var train = data.Splits.Train;
        Pairs = new TwoViewBatches(train, data.Input(BranchSide.A, train), data.Input(BranchSide.B, train),
            c.Optim.BatchSize, c.Seed, c.Data.Workers, c.Data.Prefetch, rank, ranks);
    }

    /// <summary>The data a config points at (generating synthetic sets first), as two-view batches.</summary>
    /// <param name="indexDir">Where image file indexes are cached (the run's index/ folder), or null.</param>
    /// <param name="rank">Multi-process training: this process's rank, which gets its slice of every global batch.</param>
    /// <param name="ranks">Processes sharing each global batch (1: one process).</param>
    public static PretrainData Prepare(ExperimentConfig c, Action<string> info, string? indexDir = null, int rank = 0, int ranks = 1)
    {
        var data = RunData.Prepare(c, info, indexDir);
        var s = data.Splits;
        info($"data: {s.Train.Count} samples for pretraining, {s.HeldOut?.Count ?? 0} held out, {data.Classes} classes; {data.Describe()}");
        if (DroppedBatchNote(s.Train.Count, c.Optim.BatchSize) is { } dropped) info(dropped);
        AudioCropCheck.Advise(c.Seed, data, info);
        return new PretrainData(c, data, rank, ranks);
    }

    public RunData Data { get; }
    public TwoViewBatches Pairs { get; }
    public int SkippedFiles => Data.Readers.SkippedFiles;
    /// <summary>Image–sound pairs skipped whole because either file could not be read, or left out by the listing
    /// (a clip folder without frames or audio.wav); 0 for unpaired data.</summary>
    public int SkippedPairs => (Data.Splits.All.Any(s => s.Files is not null) ? Data.Readers.SkippedSamples(Data.Splits.All) : 0) + Data.Splits.LeftOut;
    public int Classes => Data.Classes;

    /// <summary>Centre views of a fixed spread of training samples in each branch's training geometry: for branch A,
    /// and for branch B when the branches are unshared (null when shared). Unreadable samples are left out.</summary>
    public (Tensor A, Tensor? B) DiagnosticViews(int samples)
    {
        var train = Data.Splits.Train;
        var picked = FixedSample(train.Count, samples);
        var a = CentreViews(BranchSide.A, picked);
        return (a, Data.Shared ? null : CentreViews(BranchSide.B, picked));
    }

    /// <summary>Train and held-out features of an encoder on its branch's evaluation views, for the online kNN; null
    /// when there is no held-out data.</summary>
    public Func<Encoder, BranchSide, (FeatureSet Train, FeatureSet Val)>? KnnFeatures(Device device)
    {
        if (Data.Splits.HeldOut is not { } held) return null;
        var train = Data.Splits.Train;
        return (encoder, side) => (FeatureExtractor.Extract(encoder, train, Data.Input(side, train), device),
                                   FeatureExtractor.Extract(encoder, held, Data.Input(side, held), device));
    }

    /// <summary>Embeddings of the held-out samples by a frozen branch on its evaluation views, for online retrieval;
    /// null when there is no held-out data.</summary>
    public Func<Branch, BranchSide, FeatureSet>? HeldOutEmbeddings(Device device)
    {
        if (Data.Splits.HeldOut is not { } held) return null;
        return (branch, side) => FeatureExtractor.ExtractEmbeddings(branch, held, Data.Input(side, held), device);
    }

    /// <summary>What the loader has to say once training ends: peak memory, skipped and padded samples.</summary>
    public void ReportLoader(Action<string> info)
    {
        info($"loader: peak {Pairs.PeakBytesInFlight / (1024.0 * 1024):F0} MiB held ({Pairs.Workers} workers, {Pairs.Prefetch} batches prefetched), {SkippedFiles} file(s) skipped" +
            (SkippedPairs > 0 ? $" ({SkippedPairs} pair(s) left out whole)" : ""));
        if (Pairs.PaddedSamples > 0)
            info(PaddedNote(Pairs.PaddedSamples));
        if (Data.Readers.Decodes?.Summary() is { } decodes)
            info(decodes);
    }

    /// <summary>The line about training samples shorter than their crop, with what to change.</summary>
    public static string PaddedNote(long padded) =>
        $"{padded} training samples were shorter than their crop and were zero-padded at the end; " +
        "set data.audio.view_a.crop_seconds and data.audio.view_b.crop_seconds to at most your shortest clip " +
        "(vicreg init --data FOLDER reports the clip durations), or leave such clips out";

    /// <summary>The one line about the partial last batch that every epoch leaves out (drop_last), or null when none is.</summary>
    public static string? DroppedBatchNote(int samples, int batchSize)
    {
        int dropped = samples % batchSize;
        if (dropped == 0 || samples < batchSize) return null;
        int[] divisors = Enumerable.Range(Math.Max(2, batchSize / 2), batchSize).Where(b => samples % b == 0).ToArray();
        string better = divisors.Length > 0 ? $"; optim.batch_size {divisors.MinBy(b => Math.Abs(b - batchSize))} would use them all" : "";
        return $"note: the last partial batch drops {dropped} of {samples} training samples every epoch at optim.batch_size {batchSize} " +
               $"(a different {dropped} each epoch, as the order is reshuffled){better}";
    }

    /// <summary>n indices spread evenly over a (class-sorted) list of <paramref name="count"/>, so every class is represented.</summary>
    public static IReadOnlyList<int> FixedSample(int count, int n)
    {
        int k = Math.Min(n, count);
        return Enumerable.Range(0, k).Select(i => (int)((long)i * count / k)).ToArray();
    }

    private Tensor CentreViews(BranchSide side, IReadOnlyList<int> picked)
    {
        var input = Data.Input(side, Data.Splits.Train);
        var shape = input.Recipe.TrainShape;
        long per = Vicreg.Data.Views.ViewShapes.Elements(shape);
        var views = new float[picked.Count][];
        Parallel.For(0, picked.Count, i =>
        {
            using var sample = input.Reader.TryDecode(picked[i]);
            if (sample is null) return;
            views[i] = new float[per];
            input.Recipe.CentreTrain(sample, views[i]);
        });
        var ok = views.Where(v => v is not null).ToArray();
        var flat = new float[ok.Length * per];
        for (int k = 0; k < ok.Length; k++) ok[k].CopyTo(flat, k * per);
        return tensor(flat, new long[] { ok.Length }.Concat(shape).ToArray());
    }

    public void Dispose() => Data.Dispose();
}
