namespace Vicreg.Data.Views;

/// <summary>
/// Image views for one branch: the training augmentation <see cref="Train"/> (the official view 1 or view 2, or a
/// branch's own settings), the centred evaluation view of side <see cref="EvalSize"/>, and the channel count the
/// branch's encoder takes: 3 (RGB) or 1 (the ITU-R 601 luma of the normalised RGB view).
/// </summary>
public sealed record ImageViewRecipe(ViewAugmentation Train, int EvalSize, int Channels = 3) : IViewRecipe
{
    // The stream tags of the image pipeline before the redesign: "PERM" and "VIEW".
    private const long PermutationTag = 0x5045524D;
    private const long ViewTag = 0x56494557;

    public string Modality => "image";
    public (long Permutation, long Views) StreamTags => (PermutationTag, ViewTag);
    public long[] TrainShape => new long[] { Channels, Train.Size, Train.Size };
    public long[] EvalShape => new long[] { Channels, EvalSize, EvalSize };

    public bool Draw(DecodedSample sample, Random rng, Span<float> output, Action<DrawnView>? drawn = null)
    {
        var image = Image(sample);
        if (Channels == 3) ImageAugmenter.ApplyInto(image, Train, rng, output, drawn);
        else ToLuma(ImageAugmenter.Apply(image, Train, rng, drawn), output);
        return false;
    }

    public void CentreTrain(DecodedSample sample, Span<float> output) => Centre(sample, Train.Size, output);

    public void CentreEval(DecodedSample sample, Span<float> output) => Centre(sample, EvalSize, output);

    private void Centre(DecodedSample sample, int size, Span<float> output)
    {
        var rgb = ImageAugmenter.CenterView(Image(sample), size, Train.Mean, Train.Std);
        if (Channels == 3) rgb.CopyTo(output);
        else ToLuma(rgb, output);
    }

    private static SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24> Image(DecodedSample sample) =>
        sample is DecodedImage d ? d.Image : throw new ArgumentException($"an image view needs a decoded image, not {sample.GetType().Name}");

    /// <summary>One channel from a CHW RGB view: 0.299 R + 0.587 G + 0.114 B.</summary>
    private static void ToLuma(ReadOnlySpan<float> chw, Span<float> output)
    {
        int plane = chw.Length / 3;
        for (int i = 0; i < plane; i++)
            output[i] = 0.299f * chw[i] + 0.587f * chw[plane + i] + 0.114f * chw[2 * plane + i];
    }
}
