using Vicreg.Core;
using Vicreg.Data.Jpeg;

namespace Vicreg.Data.Views;

/// <summary>
/// Image views for one branch: the training augmentation <see cref="Train"/> (the official view 1 or view 2, or a
/// branch's own settings), the centred evaluation view of side <see cref="EvalSize"/>, and the channel count the
/// branch's encoder takes: 3 (RGB) or 1 (the ITU-R 601 luma of the normalised RGB view). With
/// <see cref="OnDevice"/> (data.augment_on device) the loader draws everything but stops after crop and resize
/// (<see cref="DrawHostPart"/>); <see cref="DeviceAugmenter"/> finishes the batch on the training device.
/// </summary>
public sealed record ImageViewRecipe(ViewAugmentation Train, int EvalSize, int Channels = 3) : IViewRecipe
{
    /// <summary>Training views are finished on the training device (data.augment_on device).</summary>
    public bool OnDevice { get; init; }

    /// <summary>Shape of the host part of a device-finished view: Size×Size×3 bytes (HWC, as resized).</summary>
    public long[] HostShape => new long[] { Train.Size, Train.Size, 3 };

    // The image pipeline's stream tags, "PERM" and "VIEW"; fixed, since they seed every image run's views.
    private const long PermutationTag = 0x5045524D;
    private const long ViewTag = 0x56494557;

    public string Modality => Modalities.Image;
    public (long Permutation, long Views) StreamTags => (PermutationTag, ViewTag);
    public long[] TrainShape => new long[] { Channels, Train.Size, Train.Size };
    public long[] EvalShape => new long[] { Channels, EvalSize, EvalSize };

    public bool Draw(DecodedSample sample, Random rng, Span<float> output, Action<DrawnView>? drawn = null)
    {
        if (sample is DecodedJpeg jpeg)
        {
            var d = ImageAugmenter.Draw(jpeg.Width, jpeg.Height, Train, rng);
            var (pixels, w, h, box) = jpeg.PixelsFor(d.Crop, Train.Size);
            if (Channels == 3) ImageAugmenter.Render(pixels, w, h, box, d, Train, output);
            else
            {
                var rgb = new float[3 * Train.Size * Train.Size];
                ImageAugmenter.Render(pixels, w, h, box, d, Train, rgb);
                ToLuma(rgb, output);
            }
            drawn?.Invoke(d);
            return false;
        }
        var image = Image(sample);
        if (Channels == 3) ImageAugmenter.ApplyInto(image, Train, rng, output, drawn);
        else ToLuma(ImageAugmenter.Apply(image, Train, rng, drawn), output);
        return false;
    }

    /// <summary>The host part of a device-finished view: every draw of <see cref="Draw"/>, then crop and resize into
    /// <paramref name="pixels"/> (HostShape bytes). What was drawn goes to the device with the batch.</summary>
    public DrawnImageView DrawHostPart(DecodedSample sample, Random rng, Span<byte> pixels)
    {
        if (sample is DecodedJpeg jpeg)
        {
            var d = ImageAugmenter.Draw(jpeg.Width, jpeg.Height, Train, rng);
            var (px, w, h, box) = jpeg.PixelsFor(d.Crop, Train.Size);
            ImageAugmenter.CropAndResize(px, w, h, box, Train.Size, pixels);
            return d;
        }
        var image = Image(sample);
        var drawn = ImageAugmenter.Draw(image.Width, image.Height, Train, rng);
        ImageAugmenter.CropAndResize(AugmentScratch.ForThread().Pixels(image), image.Width, image.Height, drawn.Crop, Train.Size, pixels);
        return drawn;
    }

    public bool Plan(DecodedSample sample, Random rng)
    {
        switch (sample)
        {
            case DecodedJpeg jpeg:
                jpeg.Need(ImageAugmenter.Draw(jpeg.Width, jpeg.Height, Train, rng).Crop, Train.Size);
                return true;
            case DecodedImage d:
                ImageAugmenter.Draw(d.Image.Width, d.Image.Height, Train, rng);
                return true;
            default:
                return false;
        }
    }

    public void CentreTrain(DecodedSample sample, Span<float> output) => Centre(sample, Train.Size, output);

    public void CentreEval(DecodedSample sample, Span<float> output) => Centre(sample, EvalSize, output);

    private void Centre(DecodedSample sample, int size, Span<float> output)
    {
        var rgb = ImageAugmenter.CenterView(Image(sample), size, Train.Mean, Train.Std);
        if (Channels == 3) rgb.CopyTo(output);
        else ToLuma(rgb, output);
    }

    private static SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24> Image(DecodedSample sample) => sample switch
    {
        DecodedImage d => d.Image,
        DecodedJpeg j => j.FullImage(),
        _ => throw new ArgumentException($"an image view needs a decoded image, not {sample.GetType().Name}"),
    };

    /// <summary>One channel from a CHW RGB view: 0.299 R + 0.587 G + 0.114 B.</summary>
    private static void ToLuma(ReadOnlySpan<float> chw, Span<float> output)
    {
        int plane = chw.Length / 3;
        for (int i = 0; i < plane; i++)
            output[i] = 0.299f * chw[i] + 0.587f * chw[plane + i] + 0.114f * chw[2 * plane + i];
    }
}
