using TorchSharp;
using static TorchSharp.torch;

namespace Vicreg.Training.Evaluation;

/// <summary>Frozen features [N, D] (float32, CPU) with their int64 labels [N] and, when known, the index of each row in
/// the sample list it came from (unreadable samples are left out, so rows need not be 0..N−1).</summary>
public sealed record FeatureSet(Tensor Features, Tensor Labels, long[]? Rows = null) : IDisposable
{
    public int Count => (int)Features.shape[0];
    public int Dim => (int)Features.shape[1];

    public void Save(string path)
    {
        string tmp = path + ".tmp";
        using (var w = new BinaryWriter(File.Create(tmp)))
        {
            Features.Save(w);
            Labels.Save(w);
            if (Rows is not null)
                using (var rows = tensor(Rows)) rows.Save(w);
        }
        File.Move(tmp, path, overwrite: true);
    }

    public static FeatureSet Load(string path)
    {
        using var r = new BinaryReader(File.OpenRead(path));
        var features = TorchSharp.TensorExtensionMethods.Load(r);
        var labels = TorchSharp.TensorExtensionMethods.Load(r);
        long[]? rows = null;
        if (r.BaseStream.Position < r.BaseStream.Length)
            using (var t = TorchSharp.TensorExtensionMethods.Load(r)) rows = t.data<long>().ToArray();
        return new FeatureSet(features, labels, rows);
    }

    /// <summary>The rows at positions <paramref name="positions"/> (0..Count−1).</summary>
    public FeatureSet Select(IReadOnlyList<long> positions)
    {
        using var index = tensor(positions.ToArray());
        return new FeatureSet(Features.index_select(0, index), Labels.index_select(0, index), Rows is null ? null : positions.Select(p => Rows[p]).ToArray());
    }

    /// <summary>Rows of two sets side by side ([N, Da + Db]): the samples both sets kept (for image/audio pairs, a sample
    /// one reader skipped), in <paramref name="a"/>'s order.</summary>
    public static FeatureSet Concatenate(FeatureSet a, FeatureSet b)
    {
        if (a.Rows is null || b.Rows is null)
        {
            if (a.Count != b.Count) throw new ArgumentException($"cannot concatenate feature sets of {a.Count} and {b.Count} samples");
            return new FeatureSet(cat(new[] { a.Features, b.Features }, 1), a.Labels.clone(), a.Rows);
        }
        var (left, right) = Common(a, b);
        using (left) using (right)
            return new FeatureSet(cat(new[] { left.Features, right.Features }, 1), left.Labels.clone(), left.Rows);
    }

    /// <summary>The rows of the samples both sets kept, aligned (row i of each is the same sample), in
    /// <paramref name="a"/>'s order: the pairs whose two files could be read. Both sets need their <see cref="Rows"/>.</summary>
    public static (FeatureSet A, FeatureSet B) Common(FeatureSet a, FeatureSet b)
    {
        if (a.Rows is null || b.Rows is null) throw new ArgumentException("aligning two feature sets needs the sample index of every row");
        var inB = b.Rows.Select((row, i) => (row, i)).ToDictionary(x => x.row, x => (long)x.i);
        var keepA = Enumerable.Range(0, a.Count).Where(i => inB.ContainsKey(a.Rows[i])).Select(i => (long)i).ToArray();
        return (a.Select(keepA), b.Select(keepA.Select(i => inB[a.Rows[i]]).ToArray()));
    }

    /// <summary>Train and held-out rows as one set, in that order (for cross-validation over the folds of both).</summary>
    public static FeatureSet Stack(FeatureSet train, FeatureSet heldOut) =>
        new(cat(new[] { train.Features, heldOut.Features }, 0), cat(new[] { train.Labels, heldOut.Labels }, 0));

    public void Dispose()
    {
        Features.Dispose();
        Labels.Dispose();
    }
}
