using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

/// <summary>One exported branch: its ONNX Runtime session and the metadata that says how to prepare its input. Returns
/// the "embedding" output (the joint space both branches were trained to share), ℓ2-normalised so that a dot product
/// is the cosine similarity.</summary>
sealed class OnnxEncoder : IDisposable
{
    private readonly InferenceSession session;
    private readonly string input, output;
    private readonly int[] itemShape;

    public OnnxEncoder(string path)
    {
        session = new InferenceSession(path);
        Meta = session.ModelMetadata.CustomMetadataMap;
        input = session.InputMetadata.Keys.Single();
        itemShape = session.InputMetadata[input].Dimensions.Skip(1).ToArray();
        if (!session.OutputMetadata.ContainsKey("embedding"))
            throw new InvalidDataException($"{path}: no \"embedding\" output; export the branch with --with-expander (the two branches' representations are not in one space)");
        output = "embedding";
        Modality = Meta["modality"];
    }

    public IReadOnlyDictionary<string, string> Meta { get; }
    public string Modality { get; }
    public int ItemSize => itemShape.Aggregate(1, (a, b) => a * b);

    public float[] Get(string key) => Meta[key].Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
    public int GetInt(string key) => int.Parse(Meta[key], CultureInfo.InvariantCulture);

    /// <summary>Embeddings of prepared inputs (each <see cref="ItemSize"/> floats), in batches of 32.</summary>
    public List<float[]> Embed(IReadOnlyList<float[]> items)
    {
        var result = new List<float[]>(items.Count);
        for (int start = 0; start < items.Count; start += 32)
        {
            int n = Math.Min(32, items.Count - start);
            var batch = new float[n * ItemSize];
            for (int i = 0; i < n; i++) items[start + i].CopyTo(batch, i * ItemSize);
            var tensor = new DenseTensor<float>(batch, new[] { n }.Concat(itemShape).ToArray());
            using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(input, tensor) });
            var y = results.Single(r => r.Name == output).AsTensor<float>();
            int dim = (int)(y.Length / n);
            var flat = y.ToArray();
            for (int i = 0; i < n; i++)
            {
                var e = flat.AsSpan(i * dim, dim).ToArray();
                float norm = MathF.Sqrt(e.Sum(v => v * v));
                for (int k = 0; k < dim; k++) e[k] /= Math.Max(norm, 1e-12f);
                result.Add(e);
            }
        }
        return result;
    }

    public void Dispose() => session.Dispose();
}
