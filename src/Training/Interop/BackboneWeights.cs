using TorchSharp;
using Vicreg.Encoders;
using static TorchSharp.torch;

namespace Vicreg.Training.Interop;

/// <summary>Which layout a weights file had, how many tensors were loaded and which were left aside.</summary>
public sealed record WeightsLoadReport(string Path, string Layout, int Loaded, IReadOnlyList<string> Ignored);

/// <summary>
/// Backbone weights to and from PyTorch. Reads the official VICReg files: the backbone-only state dict
/// (resnet50.pth: conv1.weight … layer4.2.bn3.num_batches_tracked) and the full training checkpoint
/// ({"epoch", "model": {"module.backbone.*", "module.projector.*"}, "optimizer"}), as well as torchvision
/// state dicts (fc.* is ignored). Writes a state dict that torchvision's ResNet loads with strict=True.
/// </summary>
public static class BackboneWeights
{
    /// <summary>Prefixes under which checkpoints keep the backbone, most specific first.</summary>
    private static readonly string[] Prefixes =
    {
        "model.module.backbone.", "state_dict.module.backbone.", "module.backbone.",
        "model.backbone.", "state_dict.backbone.", "backbone.", "model.module.", "module.", "model.", "state_dict.", "",
    };

    /// <summary>Loads a PyTorch file into <paramref name="encoder"/>. Every tensor of the encoder must be
    /// present with its shape; otherwise nothing is changed and one line names the file and the problem.</summary>
    public static WeightsLoadReport Load(Encoder encoder, string path)
    {
        var tensors = PyTorchFiles.ReadTensors(path);
        try
        {
            return Load(encoder, tensors, path);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>Loads from tensors already read (see <see cref="PyTorchFiles.ReadTensors"/>).</summary>
    public static WeightsLoadReport Load(Encoder encoder, IReadOnlyDictionary<string, Tensor> tensors, string source)
    {
        var target = encoder.state_dict();
        // The prefix under which the most of the encoder's names are found.
        string prefix = Prefixes.OrderByDescending(p => target.Keys.Count(k => tensors.ContainsKey(p + k))).First();
        int found = target.Keys.Count(k => tensors.ContainsKey(prefix + k));
        var missing = target.Keys.Where(k => !tensors.ContainsKey(prefix + k)).ToList();
        if (missing.Count > 0)
        {
            string what = found == 0
                ? $"none of the {target.Count} backbone tensors (e.g. {target.Keys.First()}) is in the file; its keys look like {string.Join(", ", tensors.Keys.Take(3))}"
                : $"{missing.Count} of the {target.Count} backbone tensors are missing (e.g. {string.Join(", ", missing.Take(3))}); is it the same architecture?";
            throw new InvalidDataException($"{source}: {what}");
        }
        foreach (var (name, t) in target)
        {
            var src = tensors[prefix + name];
            if (!src.shape.SequenceEqual(t.shape))
                throw new InvalidDataException($"{source}: {prefix + name} has shape [{string.Join(", ", src.shape)}], the model expects [{string.Join(", ", t.shape)}] (another depth or width?)");
        }
        using (no_grad())
            foreach (var (name, t) in target)
                t.copy_(tensors[prefix + name]);
        var ignored = tensors.Keys.Where(k => !(k.StartsWith(prefix, StringComparison.Ordinal) && target.ContainsKey(k[prefix.Length..])))
            .OrderBy(k => k, StringComparer.Ordinal).ToList();
        string layout = prefix switch
        {
            "" => "backbone state dict",
            "model.module.backbone." => "official VICReg full checkpoint (model.module.backbone.*)",
            _ => $"checkpoint ({prefix}*)",
        };
        return new WeightsLoadReport(source, layout, target.Count, ignored);
    }

    /// <summary>
    /// Writes the encoder as a PyTorch state dict with torchvision's names. torchvision's ResNet has a
    /// classifier, so for <c>load_state_dict(strict=True)</c> an <c>fc</c> is added: <paramref name="head"/>
    /// when given (weight [classes, features], bias [classes]), otherwise zeros for
    /// <paramref name="classes"/> classes (torchvision's default is 1000). <paramref name="classes"/> = 0
    /// writes the backbone alone, as the official VICReg resnet50.pth.
    /// </summary>
    public static void Export(Encoder encoder, string path, int classes = 1000, (Tensor Weight, Tensor Bias)? head = null)
    {
        using var scope = NewDisposeScope();
        PyTorchFiles.WriteStateDict(path, ExportEntries(encoder, classes, head));
    }

    /// <summary>The names and tensors <see cref="Export"/> writes, in order.</summary>
    public static List<KeyValuePair<string, Tensor>> ExportEntries(Encoder encoder, int classes = 1000, (Tensor Weight, Tensor Bias)? head = null)
    {
        var entries = encoder.state_dict().Where(kv => !kv.Key.StartsWith("fc.", StringComparison.Ordinal)).ToList();
        if (head is { } h)
        {
            entries.Add(new("fc.weight", h.Weight));
            entries.Add(new("fc.bias", h.Bias));
        }
        else if (classes > 0)
        {
            entries.Add(new("fc.weight", zeros(classes, encoder.OutputDim)));
            entries.Add(new("fc.bias", zeros(classes)));
        }
        return entries;
    }
}
