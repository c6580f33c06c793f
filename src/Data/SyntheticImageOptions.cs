namespace Vicreg.Data;

/// <summary>Size and seed of the synthetic shapes dataset.</summary>
/// <param name="Classes">Number of shape classes (at most <see cref="SyntheticImages.MaxClasses"/>).</param>
/// <param name="TrainPerClass">Training images per class.</param>
/// <param name="ValPerClass">Validation images per class.</param>
/// <param name="Size">Image side in pixels.</param>
/// <param name="Seed">Generator seed; the same options always give the same bytes.</param>
/// <param name="Clutter">Distractor blobs and lines, pixel noise, and shapes from 35% of the side (the default).
/// Without it the shape fills 50–90% of the side, dark on light or light on dark, on a mild gradient: the
/// nuisances (rotation, position, scale, polarity, gradient) still vary independently of the class, but no
/// colour fingerprint competes with the shape for the embedding, so short CPU runs learn it.</param>
/// <param name="JpegQuality">Null: lossless PNG files (the default). 1–100: baseline 4:2:0 JPEG files at that quality,
/// as photographs are stored, so that JPEG decoding (data.decode) takes part in a run.</param>
public sealed record SyntheticImageOptions(
    int Classes = 10, int TrainPerClass = 200, int ValPerClass = 50, int Size = 64, int Seed = 0, bool Clutter = true, int? JpegQuality = null);
