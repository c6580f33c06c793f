using Vicreg.Data;
using Vicreg.Data.Views;
using Vicreg.Encoders;
using static TorchSharp.torch;

namespace Vicreg.Training.Evaluation;

/// <summary>
/// Runs a frozen encoder (eval mode, no grad) over the evaluation views of a sample list, for any modality: each
/// sample is decoded by the branch's reader and centred by its recipe. Unreadable samples are left out (the reader
/// already printed and counted them); <see cref="FeatureSet.Rows"/> says which were kept. Results are cached on disk
/// under the caller's path, so repeated probes cost nothing.
/// </summary>
public static class FeatureExtractor
{
    public static FeatureSet Extract(Encoder encoder, IReadOnlyList<Sample> samples, BranchInput input, Device device,
        string? cachePath = null, int batchSize = 128, IProgress<double>? progress = null) =>
        FrozenFeatures.Collect(encoder, device, CentreViews(samples, input, batchSize, progress), cachePath, input.Recipe.Modality + " sample");

    /// <summary>The embeddings (expander outputs, what the loss compares) of a frozen branch on the same views.</summary>
    public static FeatureSet ExtractEmbeddings(Vicreg.Training.Model.Branch branch, IReadOnlyList<Sample> samples, BranchInput input, Device device,
        string? cachePath = null, int batchSize = 128, IProgress<double>? progress = null) =>
        FrozenFeatures.Collect(branch, x => branch.call(x).Embedding, device, CentreViews(samples, input, batchSize, progress), cachePath, input.Recipe.Modality + " sample");

    private static IEnumerable<LabelledBatch> CentreViews(IReadOnlyList<Sample> samples, BranchInput input, int batchSize, IProgress<double>? progress)
    {
        var shape = input.Recipe.EvalShape;
        long per = ViewShapes.Elements(shape);
        for (int start = 0; start < samples.Count; start += batchSize)
        {
            int n = Math.Min(batchSize, samples.Count - start);
            var views = new float[n][];
            Parallel.For(0, n, i =>
            {
                using var sample = input.Reader.TryDecode(start + i); // a copy we own, also when cached
                if (sample is null) return;
                views[i] = new float[per];
                input.Recipe.CentreEval(sample, views[i]);
            });
            var ok = Enumerable.Range(0, n).Where(i => views[i] is not null).ToArray();
            progress?.Report((double)(start + n) / samples.Count);
            if (ok.Length == 0) continue;
            var flat = new float[ok.Length * per];
            for (int k = 0; k < ok.Length; k++) views[ok[k]].CopyTo(flat, k * per);
            yield return new LabelledBatch(flat, new long[] { ok.Length }.Concat(shape).ToArray(),
                ok.Select(i => (long)samples[start + i].Label).ToArray(), ok.Select(i => (long)(start + i)).ToArray());
        }
    }
}
