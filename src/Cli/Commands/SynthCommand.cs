using System.CommandLine;
using Vicreg.Data;
using Vicreg.Data.Audio;

namespace Vicreg.Cli.Commands;

/// <summary>vicreg synth images|audio --out DIR: the labelled synthetic sets the quickstarts use.</summary>
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
        return new Command("synth", "Generate labelled synthetic datasets.") { images, Audio() };
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
