using Vicreg.Training.Config;

namespace Vicreg.Training.Sources;

/// <summary>How a dataset kind is prepared: the data section, the kind's own options (its section's record, or null for a
/// kind without one), the run seed, a line sink, and the folder where file indexes may be cached (the run's index/
/// folder; null: do not cache).</summary>
public sealed record DataRequest(DataConfig Data, int Seed, Action<string> Info, string? IndexDir = null)
{
    /// <summary>The kind's own options: data.Options, or the defaults of the kind's record.</summary>
    public object? Options => Data.Options;
}

/// <summary>The layout of a kind's files, as a tool that inspects data (vicreg init) recognises it.</summary>
public enum DataLayout
{
    /// <summary>A layout of its own (a benchmark's tree, generated data, …).</summary>
    Other,
    /// <summary>data.train is a folder with one subfolder of files per class (data.val, optional, the same).</summary>
    ClassFolders,
    /// <summary>data.train (or data.train_list) is a CSV/TSV list of path,label rows.</summary>
    FileList,
}

/// <summary>
/// One entry of <see cref="DatasetCatalog"/>: a data layout (an image folder, ESC-50, a manifest, a generated set),
/// the modalities its samples carry (branches must take one of them), the checks of its settings, and how it
/// lists its samples and labels. A kind with settings of its own declares a <see cref="Section"/> of the data section
/// and the record it is read into (<see cref="Of{TOptions}"/>); the built-in kinds still read theirs from the shared
/// <see cref="DataConfig"/> fields, where the presets keep them.
/// </summary>
/// <param name="Name">The data.kind value.</param>
/// <param name="Modalities">What each sample holds: "image", "audio", or both for paired data.</param>
/// <param name="Validate">Checks the data section for this kind; calls require(ok, field, problem).</param>
/// <param name="Prepare">Lists the train and held-out samples (generating a synthetic set first).</param>
public sealed record DatasetKind(
    string Name,
    IReadOnlyList<string> Modalities,
    Action<DataConfig, Action<bool, string, string>> Validate,
    Func<DataRequest, DataSplits> Prepare)
{
    /// <summary>The key of the kind's own section under data (data.&lt;Section&gt;); null: none.</summary>
    public string? Section { get; init; }
    /// <summary>The record <see cref="Section"/> is read into (by <see cref="EntrySection"/>); null: none.</summary>
    public Type? OptionsType { get; init; }
    /// <summary>A kind that generates its samples and needs no files: how many classes the data section asks it to
    /// make (so chance level is known before any run). Null for a kind that reads files.</summary>
    public Func<DataConfig, int>? GeneratedClasses { get; init; }
    /// <summary>How the kind's data.train (or list) is laid out, for tools that look at a folder or list before any config exists.</summary>
    public DataLayout Layout { get; init; }

    /// <summary>A kind whose own settings are the record <typeparamref name="TOptions"/>, read from data.<paramref name="section"/>
    /// (absent: the record's defaults). <paramref name="validate"/> checks them with the data section's paths at hand;
    /// its fields are named data.<paramref name="section"/>.x.</summary>
    public static DatasetKind Of<TOptions>(string name, IReadOnlyList<string> modalities, string section,
        Action<TOptions, DataConfig, Action<bool, string, string>> validate, Func<TOptions, DataRequest, DataSplits> prepare)
        where TOptions : class, new() =>
        new(name, modalities, (data, require) => validate(OptionsOf<TOptions>(data), data, require), request => prepare(OptionsOf<TOptions>(request.Data), request))
        {
            Section = section,
            OptionsType = typeof(TOptions),
        };

    private static TOptions OptionsOf<TOptions>(DataConfig data) where TOptions : class, new() => data.Options as TOptions ?? new TOptions();
}
