using Vicreg.Data;
using Vicreg.Data.Views;
using Vicreg.Training.Config;

namespace Vicreg.Training.Sources;

/// <summary>Which branch a view recipe is for: A takes the official view 1 and data.audio.view_a, B view 2 and view_b.</summary>
public enum BranchSide { A, B }

/// <summary>
/// One entry of <see cref="ModalityCatalog"/>: a modality plug-in as a config sees it. It resolves a branch's view
/// recipe from the branch's own view settings and the data section, opens the reader that decodes its samples, and
/// checks the settings of branches that take it.
/// </summary>
/// <param name="Name">The modality ("image", "audio"): what encoders declare they consume (EncoderCatalog.InputOf)
/// and what dataset kinds declare their samples carry.</param>
/// <param name="Recipe">The views of one branch.</param>
/// <param name="OpenReader">A reader over a sample list; <see cref="SampleReaders"/> shares caches between readers of one run.</param>
/// <param name="ValidateBranch">Checks one branch (its field prefix, e.g. model.branch_b) that takes this modality.</param>
/// <param name="Locals">The branch's groups of multi-crop local views; null: the modality has none (its branches
/// refuse view.local_crops in <paramref name="ValidateBranch"/>).</param>
/// <param name="Noun">What its samples are called in messages ("images", "waveforms"); null: the name.</param>
/// <param name="Examples">Encoders to suggest to a branch that must take this modality; null: any registered for it.</param>
public sealed record ModalityEntry(
    string Name,
    Func<ExperimentConfig, BranchConfig, BranchSide, IViewRecipe> Recipe,
    Func<ExperimentConfig, IReadOnlyList<Sample>, SampleReaders, ISampleReader> OpenReader,
    Action<ExperimentConfig, BranchConfig, string, Action<bool, string, string>> ValidateBranch,
    Func<ExperimentConfig, BranchConfig, BranchSide, IReadOnlyList<LocalCrops>>? Locals = null,
    string? Noun = null,
    string? Examples = null);
