using Vicreg.Encoders;
using Vicreg.Training.Interop;
using Vicreg.Training.Interop.Onnx;
using static TorchSharp.torch;

namespace Vicreg.Runs.Export;

/// <summary>Writes an <see cref="ExportSource"/> as an ONNX model or as a PyTorch state dict with torchvision's names;
/// each returns the lines that tell the user what was written and how to load it.</summary>
public static class BackboneExport
{
    /// <summary>The eval-mode forward of the encoder (with <paramref name="withExpander"/>, also the expander's
    /// embedding) and the metadata a caller needs to prepare inputs.</summary>
    public static string Onnx(ExportSource source, string file, bool withExpander)
    {
        var model = source.Branch is not null && withExpander
            ? OnnxExporter.Build(source.Branch, true, source.Recipe, source.Metadata.ToList())
            : OnnxExporter.Build(source.Encoder, null, false, source.Recipe, source.Metadata.ToList());
        OnnxExporter.Save(model, file);
        static string Shape(global::Onnx.ValueInfoProto v) => string.Join(", ", v.Type.TensorType.Shape.Dim.Select(d => d.DimParam is { Length: > 0 } p ? p : d.DimValue.ToString()));
        return $"wrote {file}: ONNX opset {OnnxGraph.Opset}, {model.Graph.Node.Count} nodes; input "
            + string.Join(", ", model.Graph.Input.Select(i => $"{i.Name} [{Shape(i)}]")) + "; outputs "
            + string.Join(", ", model.Graph.Output.Select(o => $"{o.Name} [{Shape(o)}]"));
    }

    /// <summary>The backbone as a state dict (<paramref name="classes"/> rows of a zero fc, so that torchvision loads it
    /// with strict=True; null: torchvision's default for the architecture), a .py beside it where torchvision cannot build
    /// the network, and with <paramref name="withSample"/> a fixed input and its features to compare in PyTorch.</summary>
    public static IReadOnlyList<string> PyTorch(ExportSource source, string path, int? classes, bool withSample)
    {
        var encoder = source.Encoder;
        var lines = new List<string>();
        var differences = TorchvisionLayout.Differences(encoder);
        int rows = classes ?? TorchvisionLayout.DefaultClasses(encoder);
        if (rows < 0) throw new ArgumentException("--classes must be ≥ 0");
        BackboneWeights.Export(encoder, path, rows);
        lines.Add($"wrote {path}: {encoder.state_dict().Count} backbone tensors" + (rows > 0 ? $" + fc ({rows} classes, zeros)" : " (backbone only, no fc)"));
        if (differences.Count == 0)
            lines.Add($"load it with torchvision.models.{encoder.GetName()}(num_classes={(rows > 0 ? rows : 1000)}).load_state_dict(torch.load(\"{Path.GetFileName(path)}\"), strict={(rows > 0 ? "True" : "False")})");
        else if (encoder is ResNet resnet)
        {
            string module = Path.ChangeExtension(path, ".py");
            File.WriteAllText(module, TorchvisionLayout.PythonModule(resnet, Path.GetFileName(path), rows));
            lines.Add($"note: torchvision.models.{encoder.GetName()}() cannot load this backbone: {string.Join("; ", differences)}.");
            lines.Add($"wrote {module}: a PyTorch module that builds this network from torchvision's blocks; build().load_state_dict(torch.load(\"{Path.GetFileName(path)}\"), strict=True) loads it (see its first lines)");
        }
        else
            lines.Add($"note: {string.Join("; ", differences)}: the file holds this project's parameter names; load it into the same architecture");
        if (withSample)
        {
            string sample = Path.ChangeExtension(path, null) + ".sample.pt";
            encoder.eval();
            using var noGrad = no_grad();
            var g = new Generator().manual_seed(0);
            using var x = randn(new long[] { 2, 3, 224, 224 }, generator: g);
            using var y = encoder.call(x);
            PyTorchFiles.WriteStateDict(sample, new[] { new KeyValuePair<string, Tensor>("input", x), new KeyValuePair<string, Tensor>("features", y) });
            lines.Add($"wrote {sample}: input [2, 3, 224, 224] and features [{string.Join(", ", y.shape)}]");
        }
        return lines;
    }
}
