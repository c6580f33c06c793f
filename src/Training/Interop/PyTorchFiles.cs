using System.Collections;
using System.Collections.Specialized;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Vicreg.Training.Interop;

/// <summary>
/// Reads and writes PyTorch <c>torch.save</c> files (the zip format PyTorch has written since 1.6) through
/// TorchSharp.PyBridge. Only tensors are kept on reading; nested dictionaries are flattened with dotted
/// keys, so a full checkpoint {"model": {...}, "optimizer": {...}} reads as "model.module.backbone.conv1.weight", ….
/// </summary>
public static class PyTorchFiles
{
    /// <summary>Every tensor in the file, by (flattened) key. Throws <see cref="InvalidDataException"/> with
    /// one line naming the file when it is not a readable torch.save file.</summary>
    public static Dictionary<string, Tensor> ReadTensors(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        Hashtable root;
        try
        {
            using var stream = File.OpenRead(path);
            root = PyTorchUnpickler.UnpickleStateDict(stream);
        }
        catch (NotImplementedException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not FileNotFoundException)
        {
            throw new InvalidDataException($"{path}: not a PyTorch state dict or checkpoint written by torch.save ({e.Message})", e);
        }
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        Flatten(root, "", tensors);
        return tensors;
    }

    private static void Flatten(IDictionary dict, string prefix, Dictionary<string, Tensor> into)
    {
        foreach (DictionaryEntry e in dict)
        {
            string key = prefix + Convert.ToString(e.Key, System.Globalization.CultureInfo.InvariantCulture);
            switch (e.Value)
            {
                case Tensor t: into[key] = t; break;
                case IDictionary d: Flatten(d, key + ".", into); break;
            }
        }
    }

    /// <summary>Writes tensors as a state dict that <c>torch.load</c> reads (a dict of name → tensor, CPU,
    /// contiguous), in the given order. The file appears whole or not at all.</summary>
    public static void WriteStateDict(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        var dict = new OrderedDictionary(StringComparer.Ordinal);
        var owned = new List<Tensor>();
        try
        {
            foreach (var (name, t) in tensors)
            {
                var copy = t.detach().cpu().contiguous().clone();
                owned.Add(copy);
                dict[name] = copy;
            }
            string full = Path.GetFullPath(path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            string tmp = full + ".tmp";
            using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write))
                PyTorchPickler.PickleStateDict(stream, dict);
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            foreach (var t in owned) t.Dispose();
        }
    }
}
