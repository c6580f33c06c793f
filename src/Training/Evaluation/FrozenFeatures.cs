using Vicreg.Encoders;
using static TorchSharp.torch;

namespace Vicreg.Training.Evaluation;

/// <summary>One batch of encoder inputs (CPU, float) with the labels of its rows and their indices in the sample list.</summary>
public readonly record struct LabelledBatch(float[] Values, long[] Shape, long[] Labels, long[] Rows);

/// <summary>
/// Runs a frozen encoder (eval mode, no grad; the previous mode is restored) over batches of any modality
/// and gathers the representations as a <see cref="FeatureSet"/>, cached on disk under the caller's path.
/// </summary>
public static class FrozenFeatures
{
    public static FeatureSet Collect(Encoder encoder, Device device, IEnumerable<LabelledBatch> batches, string? cachePath, string what) =>
        Collect(encoder, encoder.call, device, batches, cachePath, what);

    /// <summary>The same for any frozen module and what it computes from a batch (a branch's embedding).</summary>
    public static FeatureSet Collect(nn.Module module, Func<Tensor, Tensor> apply, Device device, IEnumerable<LabelledBatch> batches, string? cachePath, string what)
    {
        if (cachePath is not null && File.Exists(cachePath)) return FeatureSet.Load(cachePath);
        var feats = new List<Tensor>();
        var labels = new List<long>();
        var rows = new List<long>();
        bool wasTraining = module.training;
        module.eval();
        try
        {
            using var noGrad = no_grad();
            foreach (var batch in batches)
            {
                using var scope = NewDisposeScope();
                var x = tensor(batch.Values, batch.Shape).to(device);
                feats.Add(apply(x).cpu().to_type(ScalarType.Float32).MoveToOuterDisposeScope());
                labels.AddRange(batch.Labels);
                rows.AddRange(batch.Rows);
            }
        }
        finally
        {
            module.train(wasTraining);
        }
        if (feats.Count == 0) throw new InvalidDataException($"no {what} could be read for feature extraction");
        var set = new FeatureSet(cat(feats), tensor(labels.ToArray()), rows.ToArray());
        foreach (var f in feats) f.Dispose();
        if (cachePath is not null) set.Save(cachePath);
        return set;
    }
}
