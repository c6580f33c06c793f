namespace Vicreg.Data.Views;

/// <summary>
/// Multi-crop (Caron et al., 2020): <paramref name="Count"/> local views of one branch, each drawn with
/// <paramref name="Recipe"/> (typically smaller crops of a smaller part of the image, e.g. 6 × 96 px at scale
/// 0.05–0.14 beside two global 224-px views). They are drawn after the global views from a stream of their own,
/// so adding them leaves the global views as they were.
/// </summary>
public sealed record LocalCrops(IViewRecipe Recipe, int Count)
{
    public int Count { get; init; } = Count >= 1 ? Count : throw new ArgumentOutOfRangeException(nameof(Count), $"must be ≥ 1; got {Count}");
}
