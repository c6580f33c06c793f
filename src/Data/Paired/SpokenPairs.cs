using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Vicreg.Data.Paired;

/// <summary>What <see cref="SpokenPairs.Generate"/> makes: the first <paramref name="TrainPerClass"/> images of each
/// class of an IDX training file and the first <paramref name="ValPerClass"/> of each class of an IDX test file, each
/// paired with a fresh recording of its class's name (<paramref name="Names"/>, in label order).</summary>
public sealed record SpokenPairOptions(string TrainImages, string ValImages, IReadOnlyList<string> Names,
    int TrainPerClass, int ValPerClass, int Seed);

/// <summary>
/// An AV-MNIST-like paired set from real images: every image (Fashion-MNIST, MNIST or any IDX set) is paired with
/// its own espeak-ng recording of its class's name, spoken with a voice, variant, speed, pitch, loudness and word
/// gap drawn from the pair's own seeded stream. The class is then all that an image and its sound share, as in
/// AV-MNIST, but no two recordings are alike. Layout: root/{train,val}/NN_name/NNNNN.png and NNNNN.wav (espeak-ng's
/// 22.05 kHz, resampled on load), with root/train.csv and root/val.csv in the <see cref="PairedManifest"/> format
/// (image,audio,label): the paired-manifest data kind reads it. Deterministic from the seed; reused when it matches.
/// </summary>
public static class SpokenPairs
{
    private const int GeneratorVersion = 1;
    private const string MarkerName = "spoken-pairs.json";
    private const string MarkerKind = "vicreg-spoken-pairs";

    /// <summary>Fashion-MNIST's classes as a speaker would say them (label order of the IDX files).</summary>
    public static readonly IReadOnlyList<string> FashionMnistNames =
        ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot"];

    /// <summary>espeak-ng's English voices that Debian's espeak-ng-data ships (no MBROLA voices needed).</summary>
    public static readonly IReadOnlyList<string> Voices =
        ["en", "en-us", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-rp", "en-gb-x-gbcwmd", "en-029"];

    /// <summary>Voice variants (espeak-ng-data/voices/!v): male, female and synthesiser timbres.</summary>
    public static readonly IReadOnlyList<string> Variants =
        ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "f5", "klatt", "klatt2", "klatt3", "croak"];

    public static string TrainManifest(string root) => Path.Combine(root, "train.csv");
    public static string ValManifest(string root) => Path.Combine(root, "val.csv");

    public static string ClassFolder(IReadOnlyList<string> names, int cls) => $"{cls:D2}_{names[cls].Replace(' ', '-')}";

    /// <summary>One recording's settings, drawn from the stream of (seed, split, class, index) alone.</summary>
    public static IReadOnlyList<string> EspeakArguments(int seed, int split, int cls, int index, string text, string wavPath)
    {
        var rng = SeedMix.Rng(seed, GeneratorVersion, split, cls, index);
        string voice = Voices[rng.Next(Voices.Count)] + "+" + Variants[rng.Next(Variants.Count)];
        int speed = 120 + rng.Next(101);   // words per minute (espeak-ng's default is 175)
        int pitch = 20 + rng.Next(61);     // 0–99, default 50
        int amplitude = 60 + rng.Next(81); // 0–200, default 100
        int gap = rng.Next(6);             // extra pause between words, in 10-ms units
        return ["-v", voice, "-s", $"{speed}", "-p", $"{pitch}", "-a", $"{amplitude}", "-g", $"{gap}", "-w", wavPath, "--", text];
    }

    /// <summary>Writes the set (or reuses a complete one made with the same options); returns the number of pairs.</summary>
    public static int Generate(string root, SpokenPairOptions options, IProgress<int>? progress = null)
    {
        var train = IdxFile.ReadPair(options.TrainImages, IdxFile.LabelsFileFor(options.TrainImages));
        var val = IdxFile.ReadPair(options.ValImages, IdxFile.LabelsFileFor(options.ValImages));
        int classes = options.Names.Count;
        foreach (var (path, set) in new[] { (options.TrainImages, train), (options.ValImages, val) })
            if (set.Labels.Any(l => l >= classes))
                throw new InvalidDataException($"{path}: has label {set.Labels.Max()}, but only {classes} class names were given");
        var byClass = new[] { ByClass(train.Labels, classes), ByClass(val.Labels, classes) };
        for (int c = 0; c < classes; c++)
            if (byClass[0][c].Count < options.TrainPerClass || byClass[1][c].Count < options.ValPerClass)
                throw new InvalidDataException($"class {c} ({options.Names[c]}) has {byClass[0][c].Count} training and {byClass[1][c].Count} test images; " +
                                               $"asked for {options.TrainPerClass} and {options.ValPerClass}");
        CheckEspeak();

        var folder = new SyntheticDatasetFolder(root, MarkerName, MarkerKind);
        string complete = MarkerJson(options, true);
        if (folder.ReuseOrReset(complete, MarkerJson(options, false))) return classes * (options.TrainPerClass + options.ValPerClass);
        var png = new PngEncoder();
        var sets = new[] { train, val };
        var jobs = folder.Write(classes, options.TrainPerClass, options.ValPerClass, c => ClassFolder(options.Names, c), job =>
        {
            var (image, sound) = Files(job.Dir, job.Index);
            var images = sets[job.Split].Images;
            int size = images.Rows * images.Columns, at = byClass[job.Split][job.Cls][job.Index];
            using (var img = Image.LoadPixelData<L8>(images.Pixels.AsSpan(at * size, size), images.Columns, images.Rows)) img.Save(image, png);
            Speak(EspeakArguments(options.Seed, job.Split, job.Cls, job.Index, options.Names[job.Cls], sound), sound);
        }, progress);
        foreach (var (manifest, split) in new[] { (TrainManifest(root), 0), (ValManifest(root), 1) })
            PairedManifest.Write(manifest, jobs.Where(j => j.Split == split).Select(j =>
            {
                var (image, sound) = Files(j.Dir, j.Index);
                return (image, sound, ClassFolder(options.Names, j.Cls));
            }));
        folder.MarkComplete(complete);
        return jobs.Count;
    }

    /// <summary>Positions of each class's images, in file order.</summary>
    static List<int>[] ByClass(byte[] labels, int classes)
    {
        var lists = Enumerable.Range(0, classes).Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < labels.Length; i++) lists[labels[i]].Add(i);
        return lists;
    }

    static (string Image, string Sound) Files(string dir, int index) =>
        (Path.Combine(dir, $"{index:D5}.png"), Path.Combine(dir, $"{index:D5}.wav"));

    /// <summary>One line, before any file is written, when espeak-ng is missing.</summary>
    public static void CheckEspeak()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("espeak-ng", "--version") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            p.WaitForExit();
        }
        catch (Win32Exception) { throw new InvalidOperationException("espeak-ng is not installed (Debian/Ubuntu: apt-get install espeak-ng)"); }
    }

    static void Speak(IReadOnlyList<string> arguments, string wavPath)
    {
        var info = new ProcessStartInfo("espeak-ng") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0 || !File.Exists(wavPath) || new FileInfo(wavPath).Length <= 44)
            throw new InvalidOperationException($"{wavPath}: espeak-ng {string.Join(' ', arguments.Take(10))} failed (exit {p.ExitCode}): {error.Trim()}");
    }

    private static string MarkerJson(SpokenPairOptions o, bool complete) => JsonSerializer.Serialize(new
    {
        kind = MarkerKind,
        generator = GeneratorVersion,
        complete,
        options = new
        {
            train = Path.GetFullPath(o.TrainImages), val = Path.GetFullPath(o.ValImages), names = o.Names,
            o.TrainPerClass, o.ValPerClass, o.Seed,
        },
    }, new JsonSerializerOptions { WriteIndented = true });
}
