using System.Text.Json;
using NAudio.Wave;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using Vicreg.Data.Audio;

namespace Vicreg.Data.Paired;

/// <summary>Settings of the generated image–sound pairs.</summary>
public sealed record SyntheticPairOptions(int Classes, int TrainPerClass, int ValPerClass, int ImageSize, double Seconds, int SampleRate, int Seed);

/// <summary>
/// Generates the paired set of the audio-visual quickstart and the tests: each pair is a patterned image
/// (<see cref="PatternImages"/>) and a sound of the synthetic sounds (<see cref="SyntheticAudio"/>) of the same class c
/// (pattern c with sound c). The class is all that a pair shares: every nuisance (the pattern's period, orientation,
/// phase, colours, shading; the sound's pitch, rate, loudness, onset, noise) is drawn from a random stream of its
/// own modality, so nothing common to both reveals the class, and inside a class an image says nothing about which
/// of the sounds is its partner. (With the shapes of <see cref="SyntheticImages"/> the quickstart found nothing to
/// align in 300 steps: retrieval at chance, the image probe within 2 points of random init; see the README.)
/// Layout: root/{train,val}/&lt;NN_pattern-sound&gt;/NNNN.png and NNNN.wav, with root/train.csv and
/// root/val.csv in the <see cref="PairedManifest"/> format (image,audio,label). Deterministic from the seed; reused
/// when it matches.
/// </summary>
public static class SyntheticPairs
{
    private const int GeneratorVersion = 4;
    private const string MarkerName = "synthetic-pairs.json";
    private const string MarkerKind = "vicreg-synthetic-pairs";
    // Stream tags that keep the two modalities' nuisances independent, "IMAG" and "SOUN".
    private const long ImageStream = 0x494D_4147, SoundStream = 0x534F_554E;

    public static int MaxClasses => Math.Min(PatternImages.Names.Length, SyntheticAudio.MaxClasses);

    public static string ClassName(int cls) => $"{cls:D2}_{PatternImages.Names[cls]}-{SoundRecipes.Names[cls]}";

    public static string TrainManifest(string root) => Path.Combine(root, "train.csv");
    public static string ValManifest(string root) => Path.Combine(root, "val.csv");

    public static void Generate(string root, SyntheticPairOptions options, IProgress<int>? progress = null)
    {
        Validate(options);
        var folder = new SyntheticDatasetFolder(root, MarkerName, MarkerKind);
        string complete = MarkerJson(options, true);
        if (folder.ReuseOrReset(complete, MarkerJson(options, false))) return;

        int samples = (int)Math.Round(options.Seconds * options.SampleRate);
        var png = new PngEncoder();
        var jobs = folder.Write(options.Classes, options.TrainPerClass, options.ValPerClass, ClassName, job =>
        {
            var (image, sound) = Files(job.Dir, job.Index);
            var imageRng = SeedMix.Rng(options.Seed, GeneratorVersion, ImageStream, job.Split, job.Cls, job.Index);
            byte[] rgb = PatternImages.Render(job.Cls, options.ImageSize, imageRng, coarseness: imageRng.NextDouble());
            using (var img = Image.LoadPixelData<Rgb24>(rgb, options.ImageSize, options.ImageSize)) img.Save(image, png);
            var soundRng = SeedMix.Rng(options.Seed, GeneratorVersion, SoundStream, job.Split, job.Cls, job.Index);
            var clip = SyntheticAudio.Render(job.Cls, samples, options.SampleRate, soundRng);
            using var writer = new WaveFileWriter(sound, new WaveFormat(options.SampleRate, 16, 1));
            writer.WriteSamples(clip, 0, clip.Length);
        }, progress);
        foreach (var (manifest, split) in new[] { (TrainManifest(root), 0), (ValManifest(root), 1) })
            PairedManifest.Write(manifest, jobs.Where(j => j.Split == split).Select(j =>
            {
                var (image, sound) = Files(j.Dir, j.Index);
                return (image, sound, ClassName(j.Cls));
            }));
        folder.MarkComplete(complete);
    }

    private static (string Image, string Sound) Files(string dir, int index) =>
        (Path.Combine(dir, $"{index:D4}.png"), Path.Combine(dir, $"{index:D4}.wav"));

    private static string MarkerJson(SyntheticPairOptions o, bool complete) => JsonSerializer.Serialize(new
    {
        kind = MarkerKind,
        generator = GeneratorVersion,
        complete,
        options = new { o.Classes, o.TrainPerClass, o.ValPerClass, o.ImageSize, o.Seconds, o.SampleRate, o.Seed },
    }, new JsonSerializerOptions { WriteIndented = true });

    private static void Validate(SyntheticPairOptions o)
    {
        if (o.Classes < 1 || o.Classes > MaxClasses) throw new ArgumentOutOfRangeException(nameof(o), $"classes must be between 1 and {MaxClasses} (got {o.Classes})");
        if (o.TrainPerClass < 1) throw new ArgumentOutOfRangeException(nameof(o), $"train_per_class must be at least 1 (got {o.TrainPerClass})");
        if (o.ValPerClass < 1) throw new ArgumentOutOfRangeException(nameof(o), $"val_per_class must be at least 1 (got {o.ValPerClass})");
        if (o.ImageSize < 8) throw new ArgumentOutOfRangeException(nameof(o), $"image_size must be at least 8 (got {o.ImageSize})");
        if (o.Seconds <= 0) throw new ArgumentOutOfRangeException(nameof(o), $"seconds must be positive (got {o.Seconds})");
        if (o.SampleRate < 4000) throw new ArgumentOutOfRangeException(nameof(o), $"sample_rate must be at least 4000 (got {o.SampleRate})");
    }
}
