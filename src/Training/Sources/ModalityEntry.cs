using Vicreg.Data;
using Vicreg.Data.Views;
using Vicreg.Training.Config;

namespace Vicreg.Training.Sources;

/// <summary>Which branch a view recipe is for: A takes the official view 1 and data.audio.view_a, B view 2 and view_b.</summary>
public enum BranchSide { A, B }

/// <summary>
/// What a modality is told about a branch that takes it: the side, where the branch sits in the file (for messages:
/// "model.branch_b"), the branch's encoder settings, the data section (its paths and the settings shared by every
/// branch of a modality) and the run seed. Never the whole experiment.
/// </summary>
public sealed record BranchContext(BranchSide Side, string Field, BranchConfig Branch, DataConfig Data, int Seed);

/// <summary>
/// One entry of <see cref="ModalityCatalog"/>: a modality plug-in. It owns its view options (the branch's `view`
/// section, read by <see cref="EntrySection"/> into <see cref="ViewOptionsType"/>), checks them, turns them into the
/// branch's view recipe, and opens the reader that decodes its samples. Build one with <see cref="Of{TView}"/>.
/// </summary>
public abstract class ModalityEntry
{
    protected ModalityEntry(string name, string? noun, string? examples, string? viewAdvice, IReadOnlyList<string>? fileExtensions = null, string? tensorName = null)
    {
        TensorName = tensorName ?? name;
        ViewAdvice = viewAdvice;
        FileExtensions = fileExtensions ?? Array.Empty<string>();
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a modality needs a name", nameof(name));
        Name = name;
        Noun = noun;
        Examples = examples;
    }

    /// <summary>The modality ("image", "audio"): what encoders declare they consume (<see cref="Vicreg.Encoders.EncoderEntry.Input"/>)
    /// and what dataset kinds declare their samples carry.</summary>
    public string Name { get; }
    /// <summary>The name with a capital, to begin a message ("Image folder … does not exist").</summary>
    public string Title => char.ToUpperInvariant(Name[0]) + Name[1..];
    /// <summary>What its samples are called in messages ("images", "waveforms"); null: the name.</summary>
    public string? Noun { get; }
    /// <summary>Encoders to suggest to a branch that must take this modality; null: any registered for it.</summary>
    public string? Examples { get; }

    /// <summary>What to look at in this modality's views when a probe shows that pretraining gained little (one line of
    /// advice, in the config's words); null: nothing specific.</summary>
    public string? ViewAdvice { get; }

    /// <summary>The extensions (".png") of the files its samples are, for listing a plain folder of them (vicreg embed);
    /// empty: its samples are not single files found by extension.</summary>
    public IReadOnlyList<string> FileExtensions { get; }

    /// <summary>What a batch of its views is called as an exported model's input ("image", "waveform").</summary>
    public string TensorName { get; }

    /// <summary>The record a branch's `view` section is read into.</summary>
    public abstract Type ViewOptionsType { get; }
    /// <summary>The view options of a branch without a `view` section.</summary>
    public object DefaultView => EntrySection.Defaults(ViewOptionsType);

    /// <summary>Checks a branch's view options (and its encoder settings as they concern this modality); require(ok, field, problem).</summary>
    public abstract void Validate(object view, BranchContext branch, Action<bool, string, string> require);
    /// <summary>The branch's views.</summary>
    public abstract IViewRecipe Recipe(object view, BranchContext branch);
    /// <summary>The branch's groups of multi-crop local views (empty: none).</summary>
    public abstract IReadOnlyList<LocalCrops> Locals(object view, BranchContext branch);
    /// <summary>The field of the view options that asks for local views (e.g. "local_crops"), or null when they ask for none.</summary>
    public abstract string? LocalViewsField(object view);
    /// <summary>A reader over a sample list; <see cref="SampleReaders"/> shares caches between readers of one run.</summary>
    public abstract ISampleReader OpenReader(DataConfig data, IReadOnlyList<Sample> samples, SampleReaders readers);

    /// <summary>An entry whose branches' `view` sections are <typeparamref name="TView"/> records.</summary>
    public static ModalityEntry Of<TView>(string name,
        Func<TView, BranchContext, IViewRecipe> recipe,
        Func<DataConfig, IReadOnlyList<Sample>, SampleReaders, ISampleReader> openReader,
        Action<TView, BranchContext, Action<bool, string, string>>? validate = null,
        Func<TView, BranchContext, IReadOnlyList<LocalCrops>>? locals = null,
        Func<TView, string?>? localViewsField = null,
        string? noun = null, string? examples = null, string? viewAdvice = null, IReadOnlyList<string>? fileExtensions = null,
        string? tensorName = null) where TView : class, new() =>
        new Typed<TView>(name, noun, examples, viewAdvice, fileExtensions, tensorName, recipe, openReader, validate, locals, localViewsField);

    private sealed class Typed<TView>(string name, string? noun, string? examples, string? viewAdvice, IReadOnlyList<string>? fileExtensions, string? tensorName,
        Func<TView, BranchContext, IViewRecipe> recipe,
        Func<DataConfig, IReadOnlyList<Sample>, SampleReaders, ISampleReader> openReader,
        Action<TView, BranchContext, Action<bool, string, string>>? validate,
        Func<TView, BranchContext, IReadOnlyList<LocalCrops>>? locals,
        Func<TView, string?>? localViewsField) : ModalityEntry(name, noun, examples, viewAdvice, fileExtensions, tensorName) where TView : class, new()
    {
        public override Type ViewOptionsType => typeof(TView);
        public override void Validate(object view, BranchContext branch, Action<bool, string, string> require) => validate?.Invoke(Cast(view), branch, require);
        public override IViewRecipe Recipe(object view, BranchContext branch) => recipe(Cast(view), branch);
        public override IReadOnlyList<LocalCrops> Locals(object view, BranchContext branch) => locals?.Invoke(Cast(view), branch) ?? Array.Empty<LocalCrops>();
        public override string? LocalViewsField(object view) => localViewsField?.Invoke(Cast(view));
        public override ISampleReader OpenReader(DataConfig data, IReadOnlyList<Sample> samples, SampleReaders readers) => openReader(data, samples, readers);

        private TView Cast(object view) => view as TView
            ?? throw new ArgumentException($"modality {Name} takes {typeof(TView).Name} views; got {view.GetType().Name}", nameof(view));
    }
}
