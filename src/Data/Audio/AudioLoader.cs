using System.Collections.Concurrent;

namespace Vicreg.Data.Audio;

/// <summary>
/// Thread-safe decoding of a sample list to mono float at one rate, cached in memory (a clip is decoded
/// once per run: ESC-50 at 16 kHz is 640 MB). A file that cannot be decoded is skipped: one line
/// "skipped &lt;path&gt;: &lt;reason&gt;", remembered and counted. A clip that decodes with a note (a
/// truncated data chunk) gets one line too, and is used.
/// </summary>
public sealed class AudioLoader
{
    private readonly IReadOnlyList<AudioSample> samples;
    private readonly Action<string>? log;
    private readonly ConcurrentDictionary<int, Lazy<float[]?>> decoded = new();
    private readonly ConcurrentDictionary<int, string> skipped = new();

    public AudioLoader(IReadOnlyList<AudioSample> samples, int sampleRate, Action<string>? log = null)
    {
        this.samples = samples;
        SampleRate = sampleRate;
        this.log = log;
    }

    public int SampleRate { get; }
    public int Count => samples.Count;
    public int SkippedCount => skipped.Count;
    public IReadOnlyCollection<string> SkippedFiles => skipped.Values.ToArray();

    /// <summary>The samples of clip <paramref name="index"/> (shared: do not modify), or null if it is skipped.</summary>
    public float[]? TryLoad(int index)
    {
        if ((uint)index >= (uint)samples.Count) throw new ArgumentOutOfRangeException(nameof(index));
        return decoded.GetOrAdd(index, i => new Lazy<float[]?>(() => Decode(i))).Value;
    }

    private float[]? Decode(int index)
    {
        string path = samples[index].Path;
        try
        {
            var audio = WavDecoder.Decode(path, SampleRate);
            if (audio.Note is not null) log?.Invoke($"{path}: {audio.Note}");
            return audio.Samples;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            skipped[index] = path;
            log?.Invoke($"skipped {path}: {e.Message.ReplaceLineEndings(" ")}");
            return null;
        }
    }
}
