using TorchSharp;
using Vicreg.Training.Config;
using static TorchSharp.torch;

namespace Vicreg.Training.Methods;

/// <summary>
/// A method as the catalog knows it: its name, its options record (the `method` section's other fields,
/// with defaults), the validation of those options against the experiment (refusals name the field), what it
/// needs (<see cref="Capabilities"/>) and how to build it.
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
    /// <summary>The options of a section that gives only the name.</summary>
    public abstract MethodOptions DefaultOptions { get; }
    /// <summary>The method's class runs its branches itself (<see cref="IRunsBranchesItself"/>): a predictor or a target.</summary>
    public abstract bool RunsBranchesItself { get; }

    /// <summary>Checks <paramref name="options"/> against the experiment; <paramref name="require"/>(ok, field, problem).</summary>
    public abstract void Validate(MethodOptions options, ExperimentConfig experiment, Action<bool, string, string> require);

    public abstract IMethod Create(MethodOptions options, ExperimentConfig experiment);

    /// <summary>The method's own trainable modules for a model whose embeddings are <paramref name="embeddingWidth"/>
    /// wide (SwAV's prototypes), attached to the joint embedding under their names so that the optimizer trains them
    /// and checkpoints hold them. None for most methods.</summary>
    public abstract IReadOnlyList<(string Name, nn.Module Module)> CreateModules(MethodOptions options, int embeddingWidth);

    /// <summary>An entry for method class <typeparamref name="TMethod"/> with options <typeparamref name="TOptions"/>.</summary>
    public static MethodEntry Of<TOptions, TMethod>(string name, string summary, MethodCapabilities capabilities,
        Func<TOptions, ExperimentConfig, TMethod> create, Action<TOptions, ExperimentConfig, Action<bool, string, string>>? validate = null,
        Func<TOptions, int, IReadOnlyList<(string Name, nn.Module Module)>>? modules = null)
        where TOptions : MethodOptions, new() where TMethod : IMethod
    {
        // Local views reach a method through Forward (it runs its branches) or through ComputeWithLocals (it does not).
        bool own = typeof(IRunsBranchesItself).IsAssignableFrom(typeof(TMethod));
        if (capabilities.LocalViews == LocalViewUse.Own && !own)
            throw new ArgumentException($"method {name} declares its own use of local views but does not run its branches itself (IRunsBranchesItself)", nameof(capabilities));
        if (own && capabilities.MultiProcess)
            throw new ArgumentException($"method {name} runs its branches itself, which the multi-process executor does not; declare why in OneProcessOnly", nameof(capabilities));
        if (capabilities.LocalViews == LocalViewUse.Paired && own)
            throw new ArgumentException($"method {name} runs its branches itself, so it takes local views in its own Forward (LocalViewUse.Own), not paired", nameof(capabilities));
        return new Typed<TOptions, TMethod>(name, summary, capabilities, create, validate, modules);
    }

    private sealed class Typed<TOptions, TMethod>(string name, string summary, MethodCapabilities capabilities,
        Func<TOptions, ExperimentConfig, TMethod> create, Action<TOptions, ExperimentConfig, Action<bool, string, string>>? validate,
        Func<TOptions, int, IReadOnlyList<(string Name, nn.Module Module)>>? modules)
        : MethodEntry(name, summary, capabilities)
        where TOptions : MethodOptions, new() where TMethod : IMethod
    {
        public override IReadOnlyList<(string Name, nn.Module Module)> CreateModules(MethodOptions options, int embeddingWidth) =>
            modules?.Invoke(Cast(options), embeddingWidth) ?? Array.Empty<(string, nn.Module)>();

        public override Type OptionsType => typeof(TOptions);
        public override MethodOptions DefaultOptions => new TOptions();
        public override bool RunsBranchesItself => typeof(IRunsBranchesItself).IsAssignableFrom(typeof(TMethod));

        public override void Validate(MethodOptions options, ExperimentConfig experiment, Action<bool, string, string> require) =>
            validate?.Invoke(Cast(options), experiment, require);

        public override IMethod Create(MethodOptions options, ExperimentConfig experiment) => create(Cast(options), experiment);

        private TOptions Cast(MethodOptions options) => options as TOptions
            ?? throw new ArgumentException($"method {Name} takes {typeof(TOptions).Name}; got {options.GetType().Name}", nameof(options));
    }
}
