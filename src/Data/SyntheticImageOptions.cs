namespace Vicreg.Data;

/// <summary>Size and seed of the synthetic shapes dataset.</summary>
/// <param name="Classes">Number of shape classes (at most <see cref="SyntheticImages.MaxClasses"/>).</param>
/// <param name="TrainPerClass">Training images per class.</param>
/// <param name="ValPerClass">Validation images per class.</param>
/// <param name="Size">Image side in pixels.</param>
/// <param name="Seed">Generator seed; the same options always give the same bytes.</param>
public sealed record SyntheticImageOptions(
    int Classes = 10, int TrainPerClass = 200, int ValPerClass = 50, int Size = 64, int Seed = 0);
