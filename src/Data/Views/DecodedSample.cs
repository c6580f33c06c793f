using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Vicreg.Data.Views;

/// <summary>A decoded sample of one modality, as a reader hands it to a view recipe. The consumer disposes it.</summary>
public abstract class DecodedSample : IDisposable
{
    /// <summary>Bytes it holds, for the loader's peak-memory report.</summary>
    public abstract long Bytes { get; }
    public virtual void Dispose() { }
}

/// <summary>An 8-bit RGB image (owned: disposing it frees the pixels).</summary>
public sealed class DecodedImage(Image<Rgb24> image) : DecodedSample
{
    public Image<Rgb24> Image { get; } = image;
    public override long Bytes => 3L * Image.Width * Image.Height;
    public override void Dispose() => Image.Dispose();
}

/// <summary>A mono clip at the reader's rate (shared with the clip cache: never modified).</summary>
public sealed class DecodedClip(float[] samples) : DecodedSample
{
    public float[] Samples { get; } = samples;

    /// <summary>The sample its windows are centred on (a video frame's time in the soundtrack); null: a training
    /// window is drawn anywhere in the clip and the evaluation window is the clip's centre.</summary>
    public int? Centre { get; init; }
    public override long Bytes => 4L * Samples.Length;
}
