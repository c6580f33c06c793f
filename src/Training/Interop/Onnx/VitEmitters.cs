using TorchSharp;
using TorchSharp.Modules;
using Vicreg.Encoders;
using static TorchSharp.torch;
using static Vicreg.Training.Interop.Onnx.OnnxAttribute;

namespace Vicreg.Training.Interop.Onnx;

/// <summary>The ONNX form of <see cref="VisionTransformer"/>. Its sine-cosine positions depend on the patch grid, so
/// they are written as a constant for the exported view size (the input's height and width are fixed; the batch is not).</summary>
public static class VitEmitters
{
    internal static void RegisterAll()
    {
        OnnxEmitters.Register<VisionTransformer>(Vit);
        OnnxEmitters.Register<VitBlock>(Block);
    }

    private static string Vit(OnnxGraph g, VisionTransformer vit, string x, string path)
    {
        var shape = g.ShapeOf(x) is { Length: 4 } s ? s
            : throw new OnnxExportException($"module {OnnxEmitters.Describe(vit, path)} cannot be exported to ONNX here: it needs the image size of its input, which is known only for a model's own input");
        int patch = vit.Options.Patch, dim = vit.Options.Dim;
        long gh = shape[2] / patch, gw = shape[3] / patch;
        var p = OnnxEmitters.Emit(g, OnnxEmitters.Required(vit, "patch_embed", path), x, OnnxEmitters.Join(path, "patch_embed")); // [N, D, gh, gw]
        var tokens = g.Op("Transpose", path, new[] { g.Op("Reshape", path, new[] { p, g.Int64s(path + ".tokens_shape", 0, dim, gh * gw) }) }, Ints("perm", 0, 2, 1));
        using (var positions = vit.PositionEmbedding(gh, gw))
            tokens = g.Op("Add", path, new[] { tokens, g.Constant(OnnxEmitters.Join(path, "pos_embed"), positions) });
        // The class token, repeated for every row of the batch: Expand to [N, 1, D].
        var batch = g.Op("Shape", path, new[] { x }, Int("start", 0), Int("end", 1));
        var clsShape = g.Op("Concat", path, new[] { batch, g.Int64s(path + ".cls_tail", 1, dim) }, Int("axis", 0));
        var clsToken = vit.named_parameters().First(kv => kv.name == "cls_token").parameter;
        var cls = g.Op("Expand", path, new[] { g.Constant(OnnxEmitters.Join(path, "cls_token"), clsToken), clsShape });
        var h = g.Op("Concat", path, new[] { cls, tokens }, Int("axis", 1));
        var blocks = OnnxEmitters.Required(vit, "blocks", path);
        foreach (var (name, block) in blocks.named_children()) h = OnnxEmitters.Emit(g, block, h, OnnxEmitters.Join(path, $"blocks.{name}"));
        h = OnnxEmitters.Emit(g, OnnxEmitters.Required(vit, "norm", path), h, OnnxEmitters.Join(path, "norm"));
        return g.Op("Gather", path, new[] { h, g.Int64Scalar(path + ".cls_index", 0) }, Int("axis", 1)); // the class token: [N, D]
    }

    /// <summary>x + proj(softmax(q·kᵀ·scale)·v) over heads, then + fc2(GELU(fc1(norm2(·)))).</summary>
    private static string Block(OnnxGraph g, VitBlock block, string x, string path)
    {
        string Child(string name, string input) => OnnxEmitters.Emit(g, OnnxEmitters.Required(block, name, path), input, OnnxEmitters.Join(path, name));
        long dim = ((Linear)OnnxEmitters.Required(block, "proj", path)).out_features;
        long heads = block.Heads, headDim = dim / heads;
        var qkv = Child("qkv", Child("norm1", x)); // [N, T, 3D]
        var parts = g.Op("Transpose", path, new[] { g.Op("Reshape", path, new[] { qkv, g.Int64s(path + ".qkv_shape", 0, 0, 3, heads, headDim) }) },
            Ints("perm", 2, 0, 3, 1, 4)); // [3, N, H, T, hd]
        var (q, k, v) = (Part(0), Part(1), Part(2));
        var scores = g.Op("Mul", path, new[] { g.Op("MatMul", path, new[] { q, g.Op("Transpose", path, new[] { k }, Ints("perm", 0, 1, 3, 2)) }),
            g.Scalar(path + ".scale", (float)(1.0 / Math.Sqrt(headDim))) });
        var attention = g.Op("Softmax", path, new[] { scores }, Int("axis", -1));
        var mixed = g.Op("MatMul", path, new[] { attention, v }); // [N, H, T, hd]
        mixed = g.Op("Reshape", path, new[] { g.Op("Transpose", path, new[] { mixed }, Ints("perm", 0, 2, 1, 3)), g.Int64s(path + ".merge_shape", 0, 0, dim) });
        var h = g.Op("Add", path, new[] { x, Child("proj", mixed) });
        var mlp = Child("fc2", LayerEmitters.Gelu(g, Child("fc1", Child("norm2", h)), OnnxEmitters.Join(path, "gelu")));
        return g.Op("Add", path, new[] { h, mlp });

        string Part(long i) => g.Op("Gather", path, new[] { parts, g.Int64Scalar($"{path}.part{i}", i) }, Int("axis", 0));
    }
}
