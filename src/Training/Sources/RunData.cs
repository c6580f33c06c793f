using Vicreg.Data;
using Vicreg.Data.Views;
using Vicreg.Training.Config;

namespace Vicreg.Training.Sources;

/// <summary>
/// The data of one experiment, whatever its modalities: the train and held-out samples from the dataset catalog,
/// the readers that decode them, and each branch's view recipe. Pretraining, the probes, kNN and the diagnostics
/// all take their inputs from here, so a branch's modality and views are decided in one place.
/// </summary>
public sealed class RunData : IDisposable
{
    private RunData(ExperimentConfig c, DataSplits splits, Action<string> info)
    {
        Splits = splits;
        Readers = new SampleReaders(c.Data, info);
        RecipeA = ModalityCatalog.RecipeFor(c, BranchSide.A);
        RecipeB = ModalityCatalog.RecipeFor(c, BranchSide.B);
        LocalsA = ModalityCatalog.LocalsFor(c, BranchSide.A);
        LocalsB = ModalityCatalog.LocalsFor(c, BranchSide.B);
        Shared = c.Model.Shared;
    }

    /// <summary>Lists the samples (generating a synthetic set first) and resolves both branches' views.</summary>
    /// <param name="indexDir">Where image file indexes are cached (the run's index/ folder), or null.</param>
    public static RunData Prepare(ExperimentConfig c, Action<string> info, string? indexDir = null) =>
        new(c, DatasetCatalog.Prepare(new DataRequest(c.Data, c.Seed, info, indexDir)), info);

    public DataSplits Splits { get; }
    public SampleReaders Readers { get; }
    public IViewRecipe RecipeA { get; }
    public IViewRecipe RecipeB { get; }
    /// <summary>Multi-crop: each side's groups of local views (empty without; side B's empty when shared).</summary>
    public IReadOnlyList<LocalCrops> LocalsA { get; }
    public IReadOnlyList<LocalCrops> LocalsB { get; }
    public bool Shared { get; }
    public int Classes => Splits.Classes.Count;

    public IViewRecipe Recipe(BranchSide side) => side == BranchSide.A ? RecipeA : RecipeB;

    /// <summary>What branch <paramref name="side"/> is fed from <paramref name="samples"/> (one of the splits); its
    /// local views are only drawn for training batches.</summary>
    public BranchInput Input(BranchSide side, IReadOnlyList<Sample> samples)
    {
        var recipe = Recipe(side);
        return BranchInput.Create(Readers.For(recipe.Modality, samples), recipe, side == BranchSide.A ? LocalsA : LocalsB);
    }

    /// <summary>One line on what each branch takes, e.g. "branch A: image 32 px, branch B: image 24 px", with any local views.</summary>
    public string Describe()
    {
        static string Of(IViewRecipe r) => $"{r.Modality} [{string.Join("×", r.TrainShape)}]";
        static string Locals(IReadOnlyList<LocalCrops> l) => string.Concat(l.Select(g => $" + {g.Count} local [{string.Join("×", g.Recipe.TrainShape)}]"));
        return Shared ? $"both views {Of(RecipeA)}{Locals(LocalsA)}" : $"branch A {Of(RecipeA)}{Locals(LocalsA)}, branch B {Of(RecipeB)}{Locals(LocalsB)}";
    }

    public void Dispose() => Readers.Dispose();
}
