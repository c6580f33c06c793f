using Vicreg.Core;
using System.Collections.Concurrent;
using Vicreg.Data.Views;

namespace Vicreg.Data.Audio;

/// <summary>
/// Decoded clips by path, shared by the loaders of one run, so that a clip is decoded (and a bad file
/// reported) once however many sample lists include it: pretraining and evaluation read the same cache.
/// ESC-50 at 16 kHz is 640 MB.
/// </summary>
public sealed class AudioClipCache
{
    private readonly ConcurrentDictionary<string, Lazy<float[]?>> clips = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> skipped = new(StringComparer.Ordinal);

    public int SkippedCount => skipped.Count;
    public IReadOnlyCollection<string> SkippedFiles => skipped.Keys.ToArray();

    internal float[]? GetOrDecode(string path, Func<float[]?> decode) =>
        clips.GetOrAdd(path, _ => new Lazy<float[]?>(decode)).Value;

    internal void MarkSkipped(string path) => skipped[path] = true;
}

/// <summary>
/// Thread-safe decoding of a sample list (WAV, FLAC, Ogg Vorbis, Ogg Opus or MP3, told apart by content: see
/// <see cref="AudioDecoder"/>) to mono float at one rate, through an <see cref="AudioClipCache"/>.
/// A file that cannot be decoded is skipped: one line "skipped &lt;path&gt;: &lt;reason&gt;", remembered and
/// counted. A clip that decodes with a note (a truncated data chunk) gets one line too, and is used. Samples are
/// checked as they are decoded (<see cref="WavDecoder.MaxFloatSample"/>), so a clip that reaches training is finite.
/// A file whose folder has vanished or turned unreadable throws <see cref="DataSourceLostException"/> instead.
/// </summary>
public sealed class AudioLoader : ISampleReader
{
    private readonly IReadOnlyList<Sample> samples;
    private readonly Action<string>? log;
    private readonly AudioClipCache cache;

    public AudioLoader(IReadOnlyList<Sample> samples, int sampleRate, Action<string>? log = null, AudioClipCache? cache = null)
    {
        this.samples = samples;
        SampleRate = sampleRate;
        this.log = log;
        this.cache = cache ?? new AudioClipCache();
    }

    public int SampleRate { get; }
    public string Modality => Modalities.Audio;

    DecodedSample? ISampleReader.TryDecode(int index) => Decoded(index, -1);

    /// <summary>The soundtrack of clip <paramref name="index"/> with its windows centred on frame
    /// <paramref name="frame"/>'s time (see <see cref="Sample.Frames"/>).</summary>
    DecodedSample? ISampleReader.TryDecode(int index, int frame) => Decoded(index, frame);

    /// <summary>The clip, centred on a frame's time when the sample is a video clip (a negative frame: the middle one).</summary>
    private DecodedClip? Decoded(int index, int frame)
    {
        if (TryLoad(index) is not { } clip) return null;
        if (samples[index].Frames is not { } frames) return new DecodedClip(clip);
        if (frame >= frames.Count) throw new ArgumentOutOfRangeException(nameof(frame), $"clip {samples[index].Path} has {frames.Count} frames; got frame {frame}");
        return new DecodedClip(clip) { Centre = CentreSample(frames.Seconds[frame < 0 ? frames.Middle : frame]) };
    }

    /// <summary>The sample at <paramref name="seconds"/> into a clip at this loader's rate.</summary>
    public int CentreSample(double seconds) => (int)Math.Round(seconds * SampleRate, MidpointRounding.ToEven);
    public int Count => samples.Count;
    /// <summary>Distinct files skipped so far, by any loader sharing this one's cache.</summary>
    public int SkippedCount => cache.SkippedCount;
    public IReadOnlyCollection<string> SkippedFiles => cache.SkippedFiles;

    /// <summary>The samples of clip <paramref name="index"/> (shared: do not modify), or null if it is skipped.</summary>
    public float[]? TryLoad(int index)
    {
        if ((uint)index >= (uint)samples.Count) throw new ArgumentOutOfRangeException(nameof(index));
        var sample = samples[index];
        string path = sample.FileFor(Modality);
        return cache.GetOrDecode(path, () => Decode(sample, path));
    }

    private float[]? Decode(Sample sample, string path)
    {
        try
        {
            var audio = AudioDecoder.Decode(path, SampleRate);
            if (audio.Note is not null) log?.Invoke($"{path}: {audio.Note}");
            return audio.Samples;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or DataSourceLostException))
        {
            DataSourceLostException.ThrowIfFolderGone(path, e);
            cache.MarkSkipped(path);
            log?.Invoke(sample.SkipLine(path, e.Message.ReplaceLineEndings(" ")));
            return null;
        }
    }
}
