using Vicreg.Core;
using Vicreg.Data.Views;
using Vicreg.Encoders;
using Vicreg.Training.Config;

namespace Vicreg.Training.Sources;

/// <summary>Modality plug-ins by name: image and audio, and any a plug-in registers. A branch's modality is the one its
/// encoder's catalog entry consumes (<see cref="EncoderCatalog.InputOf"/>), never a guess from its name.</summary>
public static class ModalityCatalog
{
    private static readonly Catalog<ModalityEntry> Entries = new("modality", e => e.Name, new[] { ImageModality.Entry, AudioModality.Entry });

    /// <summary>Adds or replaces an entry (from any assembly or thread).</summary>
    public static void Register(ModalityEntry entry) => Entries.Register(entry);

    public static IReadOnlyList<string> Names => Entries.Names;

    public static IReadOnlyList<ModalityEntry> All => Entries.All;

    public static ModalityEntry Get(string name) => Entries.Get(name);

    public static bool TryGet(string name, out ModalityEntry entry) => Entries.TryGet(name, out entry);

    /// <summary>The modality a branch takes, from its encoder's catalog entry.</summary>
    public static string Of(BranchConfig branch) => EncoderCatalog.InputOf(branch.Encoder);

    /// <summary>The view recipe of one side of the model: the branch's modality, handed the branch's view options.</summary>
    public static IViewRecipe RecipeFor(ExperimentConfig c, BranchSide side)
    {
        var branch = ContextFor(c, side);
        var entry = Get(Of(branch.Branch));
        return entry.Recipe(ViewOf(entry, branch.Branch), branch);
    }

    /// <summary>What the modality of one side is told about its branch (never the whole experiment).</summary>
    public static BranchContext ContextFor(ExperimentConfig c, BranchSide side) =>
        new(side, side == BranchSide.A || c.Model.BranchB is null ? "model.branch_a" : "model.branch_b",
            side == BranchSide.A ? c.Model.BranchA : c.Model.EffectiveB, c.Data, c.Seed);

    /// <summary>A branch's view options: its `view` section as read by its modality, or the modality's defaults.</summary>
    public static object ViewOf(ModalityEntry entry, BranchConfig branch) => branch.View ?? entry.DefaultView;

    /// <summary>The shape of every view a branch of <paramref name="c"/> takes (per view, without the batch
    /// dimension): training, evaluation and local views; BranchB: branch B's (none when shared: one branch).</summary>
    public static IEnumerable<(bool BranchB, long[] View)> ViewShapes(ExperimentConfig c)
    {
        var sides = c.Model.Shared ? new[] { (BranchSide.A, false) } : new[] { (BranchSide.A, false), (BranchSide.B, true) };
        foreach (var (side, branchB) in sides)
        {
            var recipe = RecipeFor(c, side);
            yield return (branchB, recipe.TrainShape);
            yield return (branchB, recipe.EvalShape);
            foreach (var group in LocalsFor(c, side)) yield return (branchB, group.Recipe.TrainShape);
        }
    }

    /// <summary>The multi-crop local views of one side: its branch's view.local_crops. A shared branch lists them once
    /// (branch_a's), for side A; an unshared branch B without model.branch_b copies branch_a's, local crops included.</summary>
    public static IReadOnlyList<LocalCrops> LocalsFor(ExperimentConfig c, BranchSide side)
    {
        if (side == BranchSide.B && c.Model.Shared) return Array.Empty<LocalCrops>();
        var branch = ContextFor(c, side);
        var entry = Get(Of(branch.Branch));
        return entry.Locals(ViewOf(entry, branch.Branch), branch);
    }
}
