using Vicreg.Training.Config;

namespace Vicreg.Training.Sources;

/// <summary>How a dataset kind is prepared: the data section, the run seed, a line sink, and the folder where file
/// indexes may be cached (the run's index/ folder; null: do not cache).</summary>
public sealed record DataRequest(DataConfig Data, int Seed, Action<string> Info, string? IndexDir = null);

/// <summary>
/// One entry of <see cref="DatasetCatalog"/>: a data layout (an image folder, ESC-50, a manifest, a generated set),
/// the modalities its samples carry (branches must take one of them), the checks of its own settings, and how it
/// lists its samples and labels.
/// </summary>
/// <param name="Name">The data.kind value.</param>
/// <param name="Modalities">What each sample holds: "image", "audio", or both for paired data.</param>
/// <param name="Validate">Checks the data section for this kind; calls require(ok, field, problem).</param>
/// <param name="Prepare">Lists the train and held-out samples (generating a synthetic set first).</param>
public sealed record DatasetKind(
    string Name,
    IReadOnlyList<string> Modalities,
    Action<ExperimentConfig, Action<bool, string, string>> Validate,
    Func<DataRequest, DataSplits> Prepare);
