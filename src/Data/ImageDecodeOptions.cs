namespace Vicreg.Data;

/// <summary>How an <see cref="ImageLoader"/> treats damaged or oversized files.</summary>
/// <param name="AcceptTruncated">Decode a file that ends early (what it holds, the rest filled by the decoder)
/// instead of skipping it: Pillow's LOAD_TRUNCATED_IMAGES. Off by default, as in Pillow.</param>
/// <param name="MaxPixels">Images with more pixels than this are skipped unread (Pillow's decompression-bomb
/// limit): a header can claim any size, and decoding it would exhaust memory.</param>
/// <param name="Background">Colour that transparent pixels are blended over (data.image.background); null: the
/// alpha is dropped, as torchvision's loader does (see <see cref="Transparency"/>).</param>
/// <param name="Fast">data.decode fast: training views of JPEGs decode through TurboJPEG at the smallest DCT scale
/// that holds their crops (<see cref="Jpeg.DecodedJpeg"/>); other files, cached images and centred views decode
/// exactly.</param>
public sealed record ImageDecodeOptions(bool AcceptTruncated = false, long MaxPixels = ImageDecodeOptions.PillowMaxPixels,
    SixLabors.ImageSharp.PixelFormats.Rgb24? Background = null, bool Fast = false)
{
    /// <summary>Pillow's Image.MAX_IMAGE_PIXELS.</summary>
    public const long PillowMaxPixels = 178_956_970;
}
