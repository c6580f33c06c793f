using TorchSharp;
using static TorchSharp.torch;

namespace Vicreg.Training.Methods;

/// <summary>
/// A method as the catalog knows it: its name, its options record (the `method` section's other fields,
/// with defaults), the validation of those options against the run (<see cref="MethodContext"/>; refusals name the
/// field), what it needs (<see cref="Capabilities"/>) and how to build it.
/// </summary>
public abstract class MethodEntry
{
    protected MethodEntry(string name, string summary, MethodCapabilities capabilities)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a method needs a name", nameof(name));
        Name = name;
        Summary = summary;
        Capabilities = capabilities;
    }

    public string Name { get; }
    /// <summary>One line for listings and errors.</summary>
    public string Summary { get; }
    public MethodCapabilities Capabilities { get; }

    /// <summary>The record the `method` section's fields (besides name) deserialise into.</summary>
    public abstract Type OptionsType { get; }

    /// <summary>Whether the method's loss is a function of two embeddings alone (<see cref="IPairwiseMethod"/>).</summary>
    public abstract bool Pairwise { get; }
    /// <summary>The options of a section that gives only the name.</summary>
    public abstract MethodOptions DefaultOptions { get; }
    /// <summary>Checks <paramref name="options"/> against the run; <paramref name="require"/>(ok, field, problem).</summary>
    public abstract void Validate(MethodOptions options, MethodContext run, Action<bool, string, string> require);

    public abstract IMethod Create(MethodOptions options, MethodContext run);

    /// <summary>The method's own trainable modules for a model whose embeddings are <paramref name="embeddingWidth"/>
    /// wide (SwAV's prototypes), attached to the joint embedding under their names so that the optimizer trains them
    /// and checkpoints hold them. None for most methods.</summary>
    public abstract IReadOnlyList<(string Name, nn.Module Module)> CreateModules(MethodOptions options, int embeddingWidth);

    /// <summary>An entry for method class <typeparamref name="TMethod"/> with options <typeparamref name="TOptions"/>.</summary>
    public static MethodEntry Of<TOptions, TMethod>(string name, string summary, MethodCapabilities capabilities,
        Func<TOptions, MethodContext, TMethod> create, Action<TOptions, MethodContext, Action<bool, string, string>>? validate = null,
        Func<TOptions, int, IReadOnlyList<(string Name, nn.Module Module)>>? modules = null)
        where TOptions : MethodOptions, new() where TMethod : IMethod
    {
        // Paired local views are paired by IPairwiseMethod's loss; a method with its own use of them must not be one.
        bool pairwise = typeof(IPairwiseMethod).IsAssignableFrom(typeof(TMethod));
        if (capabilities.LocalViews == LocalViewUse.Paired && !pairwise)
            throw new ArgumentException($"method {name} declares paired local views but its loss is not a function of two embeddings (IPairwiseMethod)", nameof(capabilities));
        if (capabilities.LocalViews == LocalViewUse.Own && pairwise)
            throw new ArgumentException($"method {name} compares two embeddings (IPairwiseMethod), so its local views are paired (LocalViewUse.Paired), not its own", nameof(capabilities));
        // The multi-process executor hands a method only the gathered embeddings: a method with network parts of its own
        // in the loss (a predictor, a momentum target, prototypes) is not a function of two embeddings, and says why it runs in one process.
        if (!pairwise && capabilities.MultiProcess)
            throw new ArgumentException($"method {name} is not a function of two embeddings (IPairwiseMethod), which is all the multi-process executor passes; declare why in OneProcessOnly", nameof(capabilities));
        return new Typed<TOptions, TMethod>(name, summary, capabilities, create, validate, modules);
    }

    private sealed class Typed<TOptions, TMethod>(string name, string summary, MethodCapabilities capabilities,
        Func<TOptions, MethodContext, TMethod> create, Action<TOptions, MethodContext, Action<bool, string, string>>? validate,
        Func<TOptions, int, IReadOnlyList<(string Name, nn.Module Module)>>? modules)
        : MethodEntry(name, summary, capabilities)
        where TOptions : MethodOptions, new() where TMethod : IMethod
    {
        public override IReadOnlyList<(string Name, nn.Module Module)> CreateModules(MethodOptions options, int embeddingWidth) =>
            modules?.Invoke(Cast(options), embeddingWidth) ?? Array.Empty<(string, nn.Module)>();

        public override Type OptionsType => typeof(TOptions);
        public override bool Pairwise => typeof(IPairwiseMethod).IsAssignableFrom(typeof(TMethod));
        public override MethodOptions DefaultOptions => new TOptions();
        public override void Validate(MethodOptions options, MethodContext run, Action<bool, string, string> require) =>
            validate?.Invoke(Cast(options), run, require);

        public override IMethod Create(MethodOptions options, MethodContext run) => create(Cast(options), run);

        private TOptions Cast(MethodOptions options) => options as TOptions
            ?? throw new ArgumentException($"method {Name} takes {typeof(TOptions).Name}; got {options.GetType().Name}", nameof(options));
    }
}
