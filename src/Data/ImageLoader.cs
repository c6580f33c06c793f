using Vicreg.Core;
using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using Vicreg.Data.Jpeg;
using Vicreg.Data.Views;

namespace Vicreg.Data;

/// <summary>
/// Thread-safe decoding of a sample list into Rgb24 images: JPEGs through TurboJPEG at full scale (Pillow's decoder,
/// so PIL's pixels), other files, and JPEGs where libturbojpeg is missing, through ImageSharp. A file that cannot be decoded (zero-byte,
/// truncated, not an image) is skipped: one line "skipped &lt;path&gt;: &lt;reason&gt;" goes to the log, the
/// file is remembered, and later requests return null without retrying. Optionally keeps decoded images
/// in memory so that later epochs do not decode again (for small datasets).
/// <para>Pixels decode to bytes (0–255 per channel), so unlike audio samples they cannot be non-finite or out
/// of range; what a damaged image file can do is end early, claim a huge size, or make its decoder allocate
/// frame after frame. Truncated files (<see cref="ImageTruncation"/>) are skipped unless
/// <see cref="ImageDecodeOptions.AcceptTruncated"/>; sizes over <see cref="ImageDecodeOptions.MaxPixels"/> are
/// refused unread; and one decode may allocate at most <see cref="DecodeBudgetBytes"/>. A file whose folder has
/// vanished or turned unreadable throws <see cref="DataSourceLostException"/> instead of being skipped.</para>
/// </summary>
public sealed class ImageLoader : ISampleReader, IDisposable
{
    private readonly IReadOnlyList<Sample> _samples;
    private readonly bool _cache;
    private readonly TextWriter? _log;
    private readonly object _logLock = new();
    // Keyed by (sample, frame): a video clip's frames are decoded and cached one by one (frame -1: no frames).
    private readonly ConcurrentDictionary<(int, int), Lazy<Image<Rgb24>?>> _decoded = new();
    // Keyed by file: a bad frame of a clip takes out that frame, not the clip.
    private readonly ConcurrentDictionary<string, int> _skipped = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _truncatedNoted = new(StringComparer.Ordinal);
    private readonly Configuration _config;
    private readonly ImageDecodeOptions _options;
    private long _peakDecodeBytes;

    /// <param name="samples">The files to load, addressed by index.</param>
    /// <param name="cacheDecoded">Keep decoded images in memory (returned as copies).</param>
    /// <param name="log">Receives one line per skipped file; may be null.</param>
    /// <param name="options">Truncated files and size limits; null: the defaults (truncated files skipped).</param>
    public ImageLoader(IReadOnlyList<Sample> samples, bool cacheDecoded = false, TextWriter? log = null, ImageDecodeOptions? options = null)
    {
        _samples = samples ?? throw new ArgumentNullException(nameof(samples));
        _cache = cacheDecoded;
        _log = log;
        _options = options ?? new ImageDecodeOptions();
        // Callers parallelise across images; ImageSharp's own per-image threading would oversubscribe.
        _config = Configuration.Default.Clone();
        _config.MaxDegreeOfParallelism = 1;
        // One pixel block per image: the augmenter then reads the decoded pixels in place.
        _config.PreferContiguousImageBuffers = true;
        // Pixels only: EXIF/ICC/XMP blocks are not parsed (PIL's RGB conversion ignores them too).
        _config.ImageFormatsManager.SetDecoder(JpegFormat.Instance, new JpegDecoder { IgnoreMetadata = true });
        _config.ImageFormatsManager.SetDecoder(PngFormat.Instance, new PngDecoder { IgnoreMetadata = true });
        _config.MemoryAllocator = new DecodeBudgetAllocator(Configuration.Default.MemoryAllocator);
    }

    public string Modality => Modalities.Image;

    DecodedSample? ISampleReader.TryDecode(int index) => TryDecode(index, -1);

    DecodedSample? ISampleReader.TryDecode(int index, int frame) => TryDecode(index, frame);

    private DecodedSample? TryDecode(int index, int frame)
    {
        if (_options.Fast && !_cache && TurboJpegPresent())
        {
            string path = PathOf(index, ref frame);
            return _skipped.ContainsKey(path) ? null : ReadFile(index, path, DeferOrDecode);
        }
        return TryLoad(index, frame) is { } image ? new DecodedImage(image) : null;
    }

    /// <summary>Which decoder served this loader's images, and at which TurboJPEG scales.</summary>
    public DecodeTally Decodes { get; } = new();

    DecodeTally? ISampleReader.Decodes => Decodes;

    /// <summary>Number of samples addressable by <see cref="TryLoad"/>.</summary>
    public int Count => _samples.Count;

    /// <summary>Number of distinct files skipped so far.</summary>
    public int SkippedCount => _skipped.Count;

    /// <summary>Paths of the files skipped so far (a snapshot).</summary>
    public IReadOnlyCollection<string> SkippedFiles => _skipped.Keys.ToArray();

    /// <summary>
    /// Decodes sample <paramref name="index"/> as Rgb24, or returns null if it cannot be decoded. The
    /// caller owns (and should dispose) the returned image; with caching it is a copy of the cached one.
    /// </summary>
    public Image<Rgb24>? TryLoad(int index) => TryLoad(index, -1);

    /// <summary>Frame <paramref name="frame"/> of clip <paramref name="index"/> (see <see cref="Sample.Frames"/>), or
    /// null if it cannot be decoded; a negative frame, or a sample without frames: as <see cref="TryLoad(int)"/>,
    /// which for a clip is its middle frame.</summary>
    public Image<Rgb24>? TryLoad(int index, int frame)
    {
        string path = PathOf(index, ref frame);
        if (_skipped.ContainsKey(path)) return null;
        if (!_cache) return Decode(index, path);
        // Lazy makes each file decode at most once even under concurrent first requests.
        var lazy = _decoded.GetOrAdd((index, frame), _ => new Lazy<Image<Rgb24>?>(() => Decode(index, path)));
        return lazy.Value?.Clone();
    }

    /// <summary>What one decode of a <paramref name="width"/>×<paramref name="height"/> image may allocate:
    /// 32 bytes per pixel plus 16 MiB. A single frame needs at most about 10 (the Rgb24 result, 3; a
    /// progressive JPEG's coefficients, up to 6; row buffers), so this leaves room for a few frames of an
    /// animated GIF, and stops a file that would allocate far more than its size explains.</summary>
    public static long DecodeBudgetBytes(long width, long height) => 32 * Math.Max(1, width) * Math.Max(1, height) + (16L << 20);

    /// <summary>Most bytes one decode of this loader allocated through ImageSharp (the result included).</summary>
    public long PeakDecodeBytes => Interlocked.Read(ref _peakDecodeBytes);

    /// <summary>The file of sample <paramref name="index"/> (frame resolved: -1 without frames, the middle one by default).</summary>
    private string PathOf(int index, ref int frame)
    {
        if ((uint)index >= (uint)_samples.Count) throw new ArgumentOutOfRangeException(nameof(index));
        var frames = _samples[index].Frames;
        if (frames is null) frame = -1;
        else if (frame < 0) frame = frames.Middle;
        else if (frame >= frames.Count) throw new ArgumentOutOfRangeException(nameof(frame), $"clip {_samples[index].Path} has {frames.Count} frames; got frame {frame}");
        return frame < 0 ? _samples[index].FileFor(Modality) : frames!.Files[frame];
    }

    private Image<Rgb24>? Decode(int index, string path) =>
        ReadFile(index, path, (stream, _, _) => DecodeChecked(stream, path));

    /// <summary>data.decode fast: a JPEG that TurboJPEG reads becomes a <see cref="DecodedJpeg"/> holding the file (the
    /// views decode it at their scale); anything else is decoded exactly, and said once.</summary>
    private DecodedSample DeferOrDecode(MemoryStream stream, byte[] rented, string path)
    {
        var bytes = rented.AsSpan(0, (int)stream.Length);
        if (TurboJpegHeader(bytes) is var (w, h))
        {
            RefuseOversized(w, h);
            NoteTruncation(bytes, path);
            var file = ArrayPool<byte>.Shared.Rent(bytes.Length);
            bytes.CopyTo(file);
            return new DecodedJpeg(file, bytes.Length, w, h, (f, n) =>
            {
                using var s = new MemoryStream(f, 0, n, writable: false, publiclyVisible: true);
                return DecodeChecked(s, path);
            }, Decodes);
        }
        if (Interlocked.Exchange(ref _notJpegNoted, 1) == 0 && _log is not null)
            lock (_logLock) _log.WriteLine($"data.decode fast: {path} is not a JPEG; files that are not JPEGs are decoded exactly");
        return new DecodedImage(DecodeChecked(stream, path));
    }

    /// <summary>Whether TurboJPEG is there to decode JPEGs (data.decode exact: at full scale, as Pillow does; fast: at reduced
    /// scales); when it is not, one line says so, once per process, and ImageSharp's decoder serves.</summary>
    private static bool TurboJpegPresent()
    {
        if (TurboJpeg.Available) return true;
        if (Interlocked.Exchange(ref _missingNoted, 1) == 0)
            Console.Error.WriteLine("data.decode: libturbojpeg.so.0 was not found, so JPEGs are decoded by ImageSharp: within a few levels of PIL's pixels, " +
                                    "not bit-exact, and never at reduced scales (Debian/Ubuntu: apt-get install libturbojpeg0)");
        return false;
    }

    /// <summary>Width and height of a JPEG that TurboJPEG reads; null for other files, or without TurboJPEG.</summary>
    private static (int Width, int Height)? TurboJpegHeader(ReadOnlySpan<byte> bytes) =>
        bytes.Length > 2 && bytes[0] == 0xFF && bytes[1] == 0xD8 && TurboJpegPresent() ? TurboJpeg.Header(bytes) : null;

    private void RefuseOversized(long width, long height)
    {
        if (width * height > _options.MaxPixels)
            throw new InvalidImageContentException($"{width}×{height} pixels is over the {_options.MaxPixels:N0}-pixel limit");
    }

    private static int _missingNoted;
    private int _notJpegNoted;

    /// <summary>Reads the whole file into a pooled buffer and hands it to <paramref name="decode"/>; a file that fails is
    /// skipped (one line), a vanished folder stops the run.</summary>
    private T? ReadFile<T>(int index, string path, Func<MemoryStream, byte[], string, T> decode) where T : class
    {
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
                using var stream = new MemoryStream(rented, 0, read, writable: false, publiclyVisible: true);
                return decode(stream, rented, path);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or DataSourceLostException))
        {
            DataSourceLostException.ThrowIfFolderGone(path, ex);
            Skip(index, path, ex.Message.Split('\n')[0].Trim());
            return null;
        }
    }

    /// <summary>Header first (refusing oversized images unread), the truncation check, then the decode under its budget:
    /// JPEGs through TurboJPEG at full scale (libjpeg-turbo with its default settings, Pillow's decoder, so the pixels are
    /// PIL's), everything else, and JPEGs that TurboJPEG refuses (CMYK, 12-bit), through ImageSharp.</summary>
    private Image<Rgb24> DecodeChecked(MemoryStream stream, string path)
    {
        var bytes = stream.GetBuffer().AsSpan(0, (int)stream.Length);
        if (TurboJpegHeader(bytes) is var (w, h))
        {
            RefuseOversized(w, h);
            NoteTruncation(bytes, path);
            if (DecodeWithTurboJpeg(bytes, w, h) is { } decoded) return decoded;
        }
        var info = Image.Identify(_config, stream)
            ?? throw new UnknownImageFormatException("not an image in a format this build reads (JPEG, PNG, BMP, GIF, TGA, WebP, TIFF, PBM)");
        RefuseOversized(info.Width, info.Height);
        NoteTruncation(bytes, path);
        stream.Position = 0;
        using var budget = DecodeBudgetAllocator.Open(DecodeBudgetBytes(info.Width, info.Height));
        try
        {
            Decodes.CountImageSharp();
            if (!MayHaveAlpha(info)) return Image.Load<Rgb24>(_config, stream);
            using var rgba = Image.Load<Rgba32>(_config, stream);
            if (Transparency.HasTransparentPixels(rgba)) NoteTransparency(path);
            return Transparency.Flatten(rgba, _options.Background);
        }
        finally
        {
            NotePeak(budget.Used);
        }
    }

    /// <summary>A full-scale TurboJPEG decode into a new image, or null when TurboJPEG refuses the stream past its header
    /// (CMYK, 12-bit samples, damage): ImageSharp then has the last word.</summary>
    private Image<Rgb24>? DecodeWithTurboJpeg(ReadOnlySpan<byte> bytes, int width, int height)
    {
        using var budget = DecodeBudgetAllocator.Open(DecodeBudgetBytes(width, height));
        var image = new Image<Rgb24>(_config, width, height);
        try
        {
            if (!image.DangerousTryGetSinglePixelMemory(out var pixels))
                throw new InvalidOperationException("the image buffer is not contiguous"); // PreferContiguousImageBuffers makes it one block
            TurboJpeg.Decode(bytes, width, height, (1, 1), MemoryMarshal.AsBytes(pixels.Span));
            Decodes.CountTurbo((1, 1));
            return image;
        }
        catch (InvalidDataException)
        {
            image.Dispose();
            return null;
        }
        finally
        {
            NotePeak(budget.Used);
        }
    }

    private void NotePeak(long used)
    {
        long seen;
        while (used > (seen = Interlocked.Read(ref _peakDecodeBytes)) && Interlocked.CompareExchange(ref _peakDecodeBytes, used, seen) != seen) { }
    }

    private int _transparencyNoted;

    /// <summary>Whether the header announces an alpha channel or a transparent colour (a PNG's tRNS).</summary>
    private static bool MayHaveAlpha(IImageInfo info)
    {
        if (info.PixelType?.AlphaRepresentation is { } alpha && alpha != PixelAlphaRepresentation.None) return true;
        var png = info.Metadata.GetPngMetadata();
        return png.HasTransparency || png.ColorType is SixLabors.ImageSharp.Formats.Png.PngColorType.RgbWithAlpha or SixLabors.ImageSharp.Formats.Png.PngColorType.GrayscaleWithAlpha;
    }

    /// <summary>Said once per loader: what happens to transparent pixels, and how to choose otherwise.</summary>
    private void NoteTransparency(string path)
    {
        if (Interlocked.Exchange(ref _transparencyNoted, 1) != 0 || _log is null) return;
        lock (_logLock)
            _log.WriteLine(_options.Background is { } bg
                ? $"{path}: has transparent pixels; they are blended over the colour of data.image.background (#{bg.R:x2}{bg.G:x2}{bg.B:x2}), as are those of other images (said once)"
                : $"{path}: has transparent pixels; as in torchvision, the alpha is dropped and they keep their stored colour (often black), as do those of other images (said once). " +
                  "Set data.image.background (e.g. \"white\" or \"#808080\") to blend them over a colour");
    }

    /// <summary>A file that ends early: refused (skipped) unless data.truncated_images is accept, then said once.</summary>
    private void NoteTruncation(ReadOnlySpan<byte> bytes, string path)
    {
        if (ImageTruncation.Check(bytes) is not { } truncated) return;
        if (!_options.AcceptTruncated)
            throw new InvalidImageContentException($"{truncated} (data.truncated_images=accept uses what it holds)");
        if (_truncatedNoted.TryAdd(path, true) && _log is not null)
            lock (_logLock) _log.WriteLine($"{path}: {truncated}; using what it holds (data.truncated_images=accept)");
    }

    private void Skip(int index, string path, string reason)
    {
        if (_skipped.TryAdd(path, index) && _log is not null)
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
