namespace Vicreg.Data.Views;

/// <summary>What one branch is fed: the reader of its modality, the recipe of its views and, for multi-crop, its
/// groups of local views (none by default). Two branches of one modality share a reader (each sample is decoded
/// once for both).</summary>
public sealed record BranchInput(ISampleReader Reader, IViewRecipe Recipe, IReadOnlyList<LocalCrops>? Locals = null)
{
    public IReadOnlyList<LocalCrops> Locals { get; init; } = Locals ?? Array.Empty<LocalCrops>();

    public static BranchInput Create(ISampleReader reader, IViewRecipe recipe, IReadOnlyList<LocalCrops>? locals = null)
    {
        foreach (var r in new[] { recipe }.Concat((locals ?? Array.Empty<LocalCrops>()).Select(l => l.Recipe)))
            if (reader.Modality != r.Modality)
                throw new ArgumentException($"a {r.Modality} view recipe cannot read samples decoded as {reader.Modality}");
        return new BranchInput(reader, recipe, locals);
    }
}
