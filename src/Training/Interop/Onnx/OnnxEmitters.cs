using TorchSharp;
using static TorchSharp.torch;

namespace Vicreg.Training.Interop.Onnx;

/// <summary>Adds the nodes of <paramref name="module"/> (eval mode) applied to value <paramref name="input"/> and returns
/// the name of its output. <paramref name="path"/> is the module's place in the model, e.g. "layer1.0".</summary>
public delegate string ModuleEmitter(OnnxGraph graph, nn.Module module, string input, string path);

/// <summary>A model holds a module that has no ONNX mapping, or one whose settings the mapping does not cover.</summary>
public sealed class OnnxExportException(string message) : Exception(message);

/// <summary>
/// Module type → the emitter that writes its eval-mode forward as ONNX nodes. Every layer and encoder of the catalog
/// is registered (<see cref="LayerEmitters"/>, <see cref="ResNetEmitters"/>, <see cref="VitEmitters"/>,
/// <see cref="LogMelEmitters"/>); a plug-in encoder adds its own with <see cref="Register{T}"/>. A module with no
/// emitter is refused with one line naming it, before anything is written.
/// </summary>
public static class OnnxEmitters
{
    private static readonly Dictionary<Type, ModuleEmitter> Emitters = new();

    static OnnxEmitters()
    {
        LayerEmitters.RegisterAll();
        ResNetEmitters.RegisterAll();
        VitEmitters.RegisterAll();
        LogMelEmitters.RegisterAll();
    }

    public static void Register<T>(Func<OnnxGraph, T, string, string, string> emitter) where T : nn.Module =>
        Emitters[typeof(T)] = (g, m, input, path) => emitter(g, (T)m, input, path);

    /// <summary>The output of <paramref name="module"/> on <paramref name="input"/>; refuses a module without an emitter.</summary>
    public static string Emit(OnnxGraph graph, nn.Module module, string input, string path)
    {
        // The exact type only: a subclass may compute something else.
        if (Emitters.TryGetValue(module.GetType(), out var emitter)) return emitter(graph, module, input, path);
        throw new OnnxExportException($"module {Describe(module, path)} cannot be exported to ONNX: no ONNX mapping is known for it");
    }

    /// <summary>The child called <paramref name="name"/> (a field registered by the module), or null.</summary>
    public static nn.Module? Child(nn.Module module, string name) =>
        module.named_children().FirstOrDefault(c => c.name == name).module;

    /// <summary>The child called <paramref name="name"/>; a module laid out otherwise is refused.</summary>
    public static nn.Module Required(nn.Module module, string name, string path) =>
        Child(module, name) ?? throw new OnnxExportException($"module {Describe(module, path)} cannot be exported to ONNX: it has no part named \"{name}\"");

    /// <summary>A name for messages: its place in the model and its own name, e.g. "layer1.0 (BasicBlock)".</summary>
    public static string Describe(nn.Module module, string path) =>
        string.IsNullOrEmpty(path) ? module.GetName() : $"{path} ({module.GetName()})";

    public static string Join(string path, string child) => string.IsNullOrEmpty(path) ? child : $"{path}.{child}";
}
