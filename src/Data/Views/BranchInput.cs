namespace Vicreg.Data.Views;

/// <summary>What one branch is fed: the reader of its modality and the recipe of its views. Two branches of
/// one modality share a reader (each sample is decoded once for both).</summary>
public sealed record BranchInput(ISampleReader Reader, IViewRecipe Recipe)
{
    public static BranchInput Create(ISampleReader reader, IViewRecipe recipe)
    {
        if (reader.Modality != recipe.Modality)
            throw new ArgumentException($"a {recipe.Modality} view recipe cannot read samples decoded as {reader.Modality}");
        return new BranchInput(reader, recipe);
    }
}
