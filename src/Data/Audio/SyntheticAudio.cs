using System.Text.Json;
using NAudio.Wave;

namespace Vicreg.Data.Audio;

/// <summary>
/// Generates the labelled WAV dataset of the audio quickstart and the tests: up to 10 classes of sounds
/// that differ in timbre, envelope and rhythm (see <see cref="SoundRecipes"/>), with pitch, rate, loudness,
/// onset and noise varying inside each class. 16-bit PCM mono. Deterministic from the seed.
/// Layout: root/train/&lt;NN_name&gt;/NNNN.wav, root/val/&lt;NN_name&gt;/NNNN.wav, root/synthetic-audio.json.
/// </summary>
public static class SyntheticAudio
{
    private const int GeneratorVersion = 1;
    private const string MarkerName = "synthetic-audio.json";
    private const string MarkerKind = "vicreg-synthetic-audio";

    public static int MaxClasses => SoundRecipes.Names.Length;

    public static string ClassFolderName(int cls) => $"{cls:D2}_{SoundRecipes.Names[cls]}";

    /// <summary>Writes the dataset unless an identical one is already there. <paramref name="progress"/> gets the
    /// number of files written so far.</summary>
    public static void Generate(string root, SyntheticAudioOptions options, IProgress<int>? progress = null)
    {
        Validate(options);
        var folder = new SyntheticDatasetFolder(root, MarkerName, MarkerKind);
        string complete = MarkerJson(options, true);
        if (folder.ReuseOrReset(complete, MarkerJson(options, false))) return;

        int samples = (int)Math.Round(options.Seconds * options.SampleRate);
        folder.Write(options.Classes, options.TrainPerClass, options.ValPerClass, ClassFolderName, job =>
        {
            var clip = Render(job.Cls, samples, options.SampleRate, SeedMix.Rng(options.Seed, GeneratorVersion, job.Split, job.Cls, job.Index));
            using var writer = new WaveFileWriter(Path.Combine(job.Dir, $"{job.Index:D4}.wav"), new WaveFormat(options.SampleRate, 16, 1));
            writer.WriteSamples(clip, 0, clip.Length);
        }, progress);
        folder.MarkComplete(complete);
    }

    /// <summary>One clip of class <paramref name="cls"/>; <paramref name="pitch"/> (0–1) fixes where f0 lies in its range.</summary>
    public static float[] Render(int cls, int samples, int rate, Random rng, double? pitch = null)
    {
        var clip = new float[samples];
        SoundRecipes.Render(cls, clip, rate, rng, pitch);
        return clip;
    }

    private static string MarkerJson(SyntheticAudioOptions o, bool complete) => JsonSerializer.Serialize(new
    {
        kind = MarkerKind,
        generator = GeneratorVersion,
        complete,
        options = new { o.Classes, o.TrainPerClass, o.ValPerClass, o.Seconds, o.SampleRate, o.Seed },
    }, new JsonSerializerOptions { WriteIndented = true });

    private static void Validate(SyntheticAudioOptions o)
    {
        if (o.Classes < 1 || o.Classes > MaxClasses)
            throw new ArgumentOutOfRangeException(nameof(o), $"classes must be between 1 and {MaxClasses} (got {o.Classes})");
        if (o.TrainPerClass < 1) throw new ArgumentOutOfRangeException(nameof(o), $"train_per_class must be at least 1 (got {o.TrainPerClass})");
        if (o.ValPerClass < 0) throw new ArgumentOutOfRangeException(nameof(o), $"val_per_class must be at least 0 (got {o.ValPerClass})");
        if (o.Seconds <= 0) throw new ArgumentOutOfRangeException(nameof(o), $"seconds must be positive (got {o.Seconds})");
        if (o.SampleRate < 4000) throw new ArgumentOutOfRangeException(nameof(o), $"sample_rate must be at least 4000 (got {o.SampleRate})");
    }
}
