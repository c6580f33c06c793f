using System.Buffers;
using System.Collections.Concurrent;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using Vicreg.Data.Views;

namespace Vicreg.Data;

/// <summary>
/// Thread-safe decoding of a sample list into Rgb24 images. A file that cannot be decoded (zero-byte,
/// truncated, not an image) is skipped: one line "skipped &lt;path&gt;: &lt;reason&gt;" goes to the log, the
/// file is remembered, and later requests return null without retrying. Optionally keeps decoded images
/// in memory so that later epochs do not decode again (for small datasets).
/// </summary>
public sealed class ImageLoader : ISampleReader, IDisposable
{
    private readonly IReadOnlyList<Sample> _samples;
    private readonly bool _cache;
    private readonly TextWriter? _log;
    private readonly object _logLock = new();
    private readonly ConcurrentDictionary<int, Lazy<Image<Rgb24>?>> _decoded = new();
    private readonly ConcurrentDictionary<int, string> _skipped = new();
    private readonly Configuration _config;

    /// <param name="samples">The files to load, addressed by index.</param>
    /// <param name="cacheDecoded">Keep decoded images in memory (returned as copies).</param>
    /// <param name="log">Receives one line per skipped file; may be null.</param>
    public ImageLoader(IReadOnlyList<Sample> samples, bool cacheDecoded = false, TextWriter? log = null)
    {
        _samples = samples ?? throw new ArgumentNullException(nameof(samples));
        _cache = cacheDecoded;
        _log = log;
        // Callers parallelise across images; ImageSharp's own per-image threading would oversubscribe.
        _config = Configuration.Default.Clone();
        _config.MaxDegreeOfParallelism = 1;
        // One pixel block per image: the augmenter then reads the decoded pixels in place.
        _config.PreferContiguousImageBuffers = true;
        // Pixels only: EXIF/ICC/XMP blocks are not parsed (PIL's RGB conversion ignores them too).
        _config.ImageFormatsManager.SetDecoder(JpegFormat.Instance, new JpegDecoder { IgnoreMetadata = true });
        _config.ImageFormatsManager.SetDecoder(PngFormat.Instance, new PngDecoder { IgnoreMetadata = true });
    }

    public string Modality => "image";

    DecodedSample? ISampleReader.TryDecode(int index) => TryLoad(index) is { } image ? new DecodedImage(image) : null;

    /// <summary>Number of samples addressable by <see cref="TryLoad"/>.</summary>
    public int Count => _samples.Count;

    /// <summary>Number of distinct files skipped so far.</summary>
    public int SkippedCount => _skipped.Count;

    /// <summary>Paths of the files skipped so far (a snapshot).</summary>
    public IReadOnlyCollection<string> SkippedFiles => _skipped.Values.ToArray();

    /// <summary>
    /// Decodes sample <paramref name="index"/> as Rgb24, or returns null if it cannot be decoded. The
    /// caller owns (and should dispose) the returned image; with caching it is a copy of the cached one.
    /// </summary>
    public Image<Rgb24>? TryLoad(int index)
    {
        if ((uint)index >= (uint)_samples.Count) throw new ArgumentOutOfRangeException(nameof(index));
        if (_skipped.ContainsKey(index)) return null;
        if (!_cache) return Decode(index);
        // Lazy makes each file decode at most once even under concurrent first requests.
        var lazy = _decoded.GetOrAdd(index, i => new Lazy<Image<Rgb24>?>(() => Decode(i)));
        return lazy.Value?.Clone();
    }

    /// <summary>Images with more pixels than this are skipped unread (PIL's decompression-bomb limit):
    /// a header can claim any size, and decoding it would exhaust memory.</summary>
    public static long MaxPixels { get; set; } = 178_956_970;

    private Image<Rgb24>? Decode(int index)
    {
        string path = _samples[index].FileFor(Modality);
        try
        {
            // One read of the whole file into a pooled buffer: the header check and the decode then
            // parse memory instead of going through small buffered file reads twice.
            using var file = File.OpenRead(path);
            long length = file.Length;
            if (length > int.MaxValue) throw new InvalidImageContentException($"{length:N0} bytes is too large a file");
            byte[] rented = ArrayPool<byte>.Shared.Rent((int)Math.Max(length, 1));
            try
            {
                int read = 0, n;
                while (read < length && (n = file.Read(rented, read, (int)length - read)) > 0) read += n;
                using var stream = new MemoryStream(rented, 0, read, writable: false);
                return DecodeChecked(stream);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Skip(index, path, ex.Message.Split('\n')[0].Trim());
            return null;
        }
    }

    /// <summary>Header first (refusing oversized images unread), then the decode.</summary>
    private Image<Rgb24> DecodeChecked(Stream stream)
    {
        var info = Image.Identify(_config, stream)
            ?? throw new UnknownImageFormatException("not an image in a format this build reads (JPEG, PNG, BMP, GIF, TGA, WebP, TIFF, PBM)");
        if ((long)info.Width * info.Height > MaxPixels)
            throw new InvalidImageContentException($"{info.Width}×{info.Height} pixels is over the {MaxPixels:N0}-pixel limit");
        stream.Position = 0;
        return Image.Load<Rgb24>(_config, stream);
    }

    private void Skip(int index, string path, string reason)
    {
        if (_skipped.TryAdd(index, path) && _log is not null)
            lock (_logLock) _log.WriteLine(_samples[index].SkipLine(path, reason));
    }

    /// <summary>Releases cached images.</summary>
    public void Dispose()
    {
        foreach (var lazy in _decoded.Values)
            if (lazy.IsValueCreated) lazy.Value?.Dispose();
        _decoded.Clear();
    }
}
