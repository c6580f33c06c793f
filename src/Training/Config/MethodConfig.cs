using System.Text.Json.Serialization;
using Vicreg.Training.Methods;

namespace Vicreg.Training.Config;

/// <summary>
/// Which self-supervised method turns the two embeddings into a loss: the `method` section, flat in the file
/// (<c>{"name": "simclr", "temperature": 0.1}</c>). The name picks a <see cref="MethodEntry"/> of
/// <see cref="MethodCatalog"/>; the other fields are that entry's own options record (<see cref="MethodConfigJson"/>).
/// VICReg takes its coefficients from `loss`; the others may add VICReg's variance and covariance terms.
/// </summary>
[JsonConverter(typeof(MethodConfigJson))]
public sealed record MethodConfig
{
    public MethodConfig() : this(VicRegMethod.Entry.Name) { }

    /// <summary>The method <paramref name="name"/> with <paramref name="options"/>, or the entry's defaults.</summary>
    public MethodConfig(string name, MethodOptions? options = null)
    {
        var entry = MethodCatalog.Get(name);
        options ??= entry.DefaultOptions;
        if (!entry.OptionsType.IsInstanceOfType(options))
            throw new ArgumentException($"method {name} takes {entry.OptionsType.Name}; got {options.GetType().Name}", nameof(options));
        Name = name;
        Options = options;
    }

    public string Name { get; }
    public MethodOptions Options { get; }

    /// <summary>The catalog entry of <see cref="Name"/>.</summary>
    public MethodEntry Entry => MethodCatalog.Get(Name);
}
