using Google.Protobuf;
using Onnx;
using Vicreg.Data.Views;
using Vicreg.Encoders;
using Vicreg.Training.Model;
using Vicreg.Training.Sources;
using static TorchSharp.torch;

namespace Vicreg.Training.Interop.Onnx;

/// <summary>
/// Writes a branch's encoder, alone or with its expander, as an ONNX model of its eval-mode forward: input "image"
/// [batch, C, S, S] or "waveform" [batch, 1, samples] (the evaluation view's shape, batch free), outputs
/// "representation" [batch, D] and, with the expander, "embedding" [batch, E]. TorchSharp cannot trace, so each module
/// is mapped by its emitter (<see cref="OnnxEmitters"/>); a module without one is refused before anything is written.
/// </summary>
public static class OnnxExporter
{
    public const string RepresentationOutput = "representation";
    public const string EmbeddingOutput = "embedding";

    /// <summary>The graph input's name for a modality: its entry's tensor name ("image", "waveform").</summary>
    public static string InputName(string modality) => ModalityCatalog.Get(modality).TensorName;

    public static ModelProto Build(Branch branch, bool withExpander, IViewRecipe recipe, IEnumerable<KeyValuePair<string, string>>? extraMetadata = null) =>
        Build(branch.Encoder, withExpander ? branch.Expander : null, branch.NormalizesEmbedding, recipe, extraMetadata);

    public static ModelProto Build(Encoder encoder, Expander? expander, bool normalizeEmbedding, IViewRecipe recipe,
        IEnumerable<KeyValuePair<string, string>>? extraMetadata = null)
    {
        var modules = new nn.Module[] { encoder }.Concat(expander is null ? Array.Empty<nn.Module>() : new nn.Module[] { expander }).ToArray();
        var wasTraining = modules.Select(m => m.training).ToArray();
        foreach (var m in modules) m.eval();
        try
        {
            var g = new OnnxGraph(encoder.GetName());
            string inputName = InputName(recipe.Modality);
            var input = g.Input(inputName, new long[] { -1 }.Concat(recipe.EvalShape).ToArray());
            var representation = OnnxEmitters.Emit(g, encoder, input, "");
            g.Output(RepresentationOutput, representation, new long[] { -1, encoder.OutputDim });
            var outputs = new List<string> { RepresentationOutput };
            if (expander is not null)
            {
                var embedding = OnnxEmitters.Emit(g, expander, representation, "projector");
                if (normalizeEmbedding) embedding = L2Normalize(g, embedding, "projector.normalize");
                g.Output(EmbeddingOutput, embedding, new long[] { -1, expander.OutputDim });
                outputs.Add(EmbeddingOutput);
            }
            var metadata = OnnxMetadata.For(encoder, recipe, inputName, outputs);
            if (expander is not null) metadata.Add(new("expander", expander.Spec + (normalizeEmbedding ? ", l2-normalised" : "")));
            if (extraMetadata is not null) metadata.AddRange(extraMetadata);
            return g.ToModel(metadata, typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "");
        }
        finally
        {
            for (int i = 0; i < modules.Length; i++) modules[i].train(wasTraining[i]);
        }
    }

    public static void Save(ModelProto model, string path)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        string tmp = path + ".tmp";
        using (var file = File.Create(tmp)) model.WriteTo(file);
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>x / max(‖x‖₂, 1e-12) per row, as torch's normalize.</summary>
    private static string L2Normalize(OnnxGraph g, string x, string path)
    {
        var norm = g.Op("ReduceL2", path, new[] { x }, OnnxAttribute.Ints("axes", 1), OnnxAttribute.Int("keepdims", 1));
        return g.Op("Div", path, new[] { x, g.Op("Max", path, new[] { norm, g.Scalar(path + ".eps", 1e-12f) }) });
    }
}
