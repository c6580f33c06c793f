using System.CommandLine;
using Vicreg.Data;
using Vicreg.Data.Audio;
using Vicreg.Data.Paired;

namespace Vicreg.Cli.Commands;

/// <summary>vicreg synth images|audio --out DIR: the labelled synthetic sets the quickstarts use; vicreg synth
/// spoken-pairs --out DIR: real IDX images (Fashion-MNIST by default) paired with espeak-ng recordings of their class.</summary>
internal static class SynthCommand
{
    public static Command Create()
    {
        var outDir = new Option<DirectoryInfo>("--out", "-o") { Description = "Output folder (train/ and val/ are written inside)", Required = true };
        var classes = new Option<int>("--classes") { Description = "Number of classes (2–10)", DefaultValueFactory = _ => 10 };
        var train = new Option<int>("--train-per-class") { DefaultValueFactory = _ => 200 };
        var val = new Option<int>("--val-per-class") { DefaultValueFactory = _ => 50 };
        var size = new Option<int>("--size") { Description = "Image side in pixels", DefaultValueFactory = _ => 64 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 0 };
        var images = new Command("images", "Shapes whose class is the shape; colour, position, scale, rotation and background are nuisances.")
            { outDir, classes, train, val, size, seed };
        images.SetAction(parse => Output.Guard(() =>
        {
            if (parse.GetValue(classes) is < 2 or > 10) return Output.Fail("--classes must be between 2 and 10");
            var options = new SyntheticImageOptions(parse.GetValue(classes), parse.GetValue(train), parse.GetValue(val), parse.GetValue(size), parse.GetValue(seed));
            var root = parse.GetValue(outDir)!.FullName;
            SyntheticImages.Generate(root, options);
            Console.WriteLine($"wrote {options.Classes * (options.TrainPerClass + options.ValPerClass)} images to {root} (train/ and val/)");
            return 0;
        }));
        return new Command("synth", "Generate labelled synthetic datasets.") { images, Audio(), SpokenPairsCommand() };
    }

    private static Command SpokenPairsCommand()
    {
        const string fashion = "/usr/share/datasets/fashion-mnist";
        var outDir = new Option<DirectoryInfo>("--out", "-o") { Description = "Output folder (train.csv, val.csv, train/ and val/ are written inside)", Required = true };
        var trainImages = new Option<FileInfo>("--train-images") { Description = "IDX images file of the training pairs (labels: the …-labels-idx1-ubyte beside it)",
            DefaultValueFactory = _ => new FileInfo(Path.Combine(fashion, "train-images-idx3-ubyte.gz")) };
        var valImages = new Option<FileInfo>("--val-images") { Description = "IDX images file of the held-out pairs",
            DefaultValueFactory = _ => new FileInfo(Path.Combine(fashion, "t10k-images-idx3-ubyte.gz")) };
        var names = new Option<string>("--names") { Description = "Comma-separated class names to speak, in label order (default: Fashion-MNIST's)",
            DefaultValueFactory = _ => string.Join(",", SpokenPairs.FashionMnistNames) };
        var train = new Option<int>("--train-per-class") { DefaultValueFactory = _ => 300 };
        var val = new Option<int>("--val-per-class") { DefaultValueFactory = _ => 50 };
        var seed = new Option<int>("--seed") { Description = "Seed of the voices, speeds and pitches", DefaultValueFactory = _ => 0 };
        var command = new Command("spoken-pairs", "Real images (IDX: Fashion-MNIST by default) each paired with its own espeak-ng recording of its class's name; " +
                                                  "voice, variant, speed, pitch and loudness vary per recording. Read it with data.kind paired-manifest.")
            { outDir, trainImages, valImages, names, train, val, seed };
        command.SetAction(parse => Output.Guard(() =>
        {
            if (parse.GetValue(train) < 1 || parse.GetValue(val) < 1) return Output.Fail("--train-per-class and --val-per-class must be at least 1");
            var list = parse.GetValue(names)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (list.Length < 2) return Output.Fail("--names: give at least two class names, comma-separated");
            var options = new SpokenPairOptions(parse.GetValue(trainImages)!.FullName, parse.GetValue(valImages)!.FullName, list,
                parse.GetValue(train), parse.GetValue(val), parse.GetValue(seed));
            var root = parse.GetValue(outDir)!.FullName;
            int pairs;
            try { pairs = SpokenPairs.Generate(root, options, new Progress<int>(n => Console.Error.Write($"\r{n} pairs written"))); }
            catch (Exception e) when (e is InvalidDataException or InvalidOperationException) { return Output.Fail(e.Message); }
            Console.Error.WriteLine();
            Console.WriteLine($"wrote {pairs} image + speech pairs to {root} (train.csv, val.csv; data.kind paired-manifest)");
            return 0;
        }));
        return command;
    }

    private static Command Audio()
    {
        var outDir = new Option<DirectoryInfo>("--out", "-o") { Description = "Output folder (train/ and val/ are written inside)", Required = true };
        var classes = new Option<int>("--classes") { Description = $"Number of sound classes (2–{SyntheticAudio.MaxClasses})", DefaultValueFactory = _ => 10 };
        var train = new Option<int>("--train-per-class") { DefaultValueFactory = _ => 100 };
        var val = new Option<int>("--val-per-class") { DefaultValueFactory = _ => 30 };
        var seconds = new Option<double>("--seconds") { Description = "Clip length", DefaultValueFactory = _ => 2.0 };
        var rate = new Option<int>("--sample-rate") { DefaultValueFactory = _ => 16000 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 0 };
        var audio = new Command("audio", "16-bit mono WAVs whose class is a timbre, envelope and rhythm; pitch, rate, loudness, onset and noise vary inside each class.")
            { outDir, classes, train, val, seconds, rate, seed };
        audio.SetAction(parse => Output.Guard(() =>
        {
            if (parse.GetValue(classes) < 2 || parse.GetValue(classes) > SyntheticAudio.MaxClasses)
                return Output.Fail($"--classes must be between 2 and {SyntheticAudio.MaxClasses}");
            var options = new SyntheticAudioOptions(parse.GetValue(classes), parse.GetValue(train), parse.GetValue(val),
                parse.GetValue(seconds), parse.GetValue(rate), parse.GetValue(seed));
            var root = parse.GetValue(outDir)!.FullName;
            SyntheticAudio.Generate(root, options);
            Console.WriteLine($"wrote {options.Classes * (options.TrainPerClass + options.ValPerClass)} clips to {root} (train/ and val/)");
            return 0;
        }));
        return audio;
    }
}
