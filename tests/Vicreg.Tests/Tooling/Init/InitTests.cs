using NAudio.Wave;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Vicreg.Tooling.Init;
using Vicreg.Training.Config;

namespace Vicreg.Tests.Tooling.Init;

/// <summary>vicreg init: what it finds in a folder, and the starting config it writes for it.</summary>
public class InitTests
{
    private static void Png(string path, int w, int h)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var image = new Image<Rgb24>(w, h, new Rgb24(40, 80, 120));
        image.SaveAsPng(path);
    }

    private static void Wav(string path, double seconds, int rate)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var writer = new WaveFileWriter(path, new WaveFormat(rate, 16, 1));
        var samples = Enumerable.Range(0, (int)(seconds * rate)).Select(i => (short)(8000 * Math.Sin(i * 0.05))).ToArray();
        foreach (var s in samples) writer.WriteSample(s / 32768f);
    }

    [Fact]
    public void AnImageFolderIsReportedWithSizesBalanceAndUnreadableFiles()
    {
        using var dir = new TempDir();
        for (int i = 0; i < 12; i++) Png(dir.Combine("clipart", "cat", $"{i}.png"), 48, 40);
        for (int i = 0; i < 4; i++) Png(dir.Combine("clipart", "dog", $"{i}.png"), 64, 64);
        File.WriteAllText(dir.Combine("clipart", "dog", "broken.png"), "not a png");
        var r = DataInspection.Inspect(dir.Combine("clipart"));
        Assert.Equal(("image", "image-folder", (string?)null), (r.Modality, r.Kind, r.Val));
        Assert.Equal(new[] { "cat", "dog" }, r.Classes);
        Assert.Equal(new[] { 12, 5 }, r.TrainCounts);
        var broken = Assert.Single(r.Unreadable);
        Assert.EndsWith("broken.png", broken.Path);
        Assert.Equal(16, r.ImageSizes.Count);
        var lines = r.Lines().ToList();
        Assert.Contains(lines, l => l.Contains("largest class is 70.6% of the files") && l.Contains("2.4×"));
        Assert.Contains(lines, l => l.Contains("shorter side median 40 px"));
        Assert.Contains(lines, l => l.Contains("unreadable files: 1 of the 17 inspected"));
    }

    [Fact]
    public void TheImageConfigLoadsAndFitsTheBudget()
    {
        using var dir = new TempDir();
        for (int k = 0; k < 3; k++)
            for (int i = 0; i < 100; i++) Png(dir.Combine("data", "train", $"c{k}", $"{i}.png"), 28, 28);
        for (int k = 0; k < 3; k++)
            for (int i = 0; i < 20; i++) Png(dir.Combine("data", "test", $"c{k}", $"{i}.png"), 28, 28);
        var r = DataInspection.Inspect(dir.Combine("data"));
        Assert.Equal((dir.Combine("data", "train"), dir.Combine("data", "test"), 60), (r.Train, r.Val, r.ValCount));
        ExperimentConfig? timed = null;
        var choice = StarterConfig.Build(r, "mine", 5, null, c => { timed = c; return 0.5; });
        string file = dir.Combine("config.json");
        File.WriteAllText(file, choice.Json);
        var c = ConfigLoader.LoadFile(file);
        Assert.Equal(("image-folder", 16, 0.4), (c.Data.Kind, c.Data.ImageSize, c.Data.CropScaleMin)); // 60% of 28 px
        Assert.Equal((32, 16), (c.Optim.BatchSize, c.Model.BranchA.BaseWidth)); // 300 / 8 → 32
        Assert.Equal("256-256-256", c.Model.BranchA.Expander);
        Assert.Equal(timed!.Optim.BatchSize, c.Optim.BatchSize);
        // 5 min − probes (2 × 0.5 × 0.5 s × 360 / 32 + 20 s = 25.6 s) − 15 s start, over 1.3 × 0.5 s × 9 steps an epoch.
        Assert.Equal((int)((300 - 25.625 - 15) / (1.3 * 0.5 * 9)), c.Optim.Epochs);
        Assert.True(c.Eval.LinearProbe && c.Eval.CompareRandomInit);
        Assert.StartsWith("// Written by vicreg init", choice.Json);
    }

    [Fact]
    public void AnImageFolderWithoutHeldOutDataGetsListsHoldingOutEveryFifthFile()
    {
        using var dir = new TempDir();
        for (int k = 0; k < 2; k++)
            for (int i = 0; i < 10; i++) Png(dir.Combine("pics", $"c{k}", $"{i}.png"), 32, 32);
        var r = DataInspection.Inspect(dir.Combine("pics"));
        var lists = StarterConfig.HoldOutLists(r, dir.Combine("cfg"));
        Assert.Equal(17, File.ReadAllLines(lists.Train).Length); // header + 16
        Assert.Equal(5, File.ReadAllLines(lists.Val).Length);    // header + 4
        var choice = StarterConfig.Build(r, "pics", 3, lists, _ => 0.1);
        File.WriteAllText(dir.Combine("cfg.json"), choice.Json);
        var c = ConfigLoader.LoadFile(dir.Combine("cfg.json"));
        Assert.Equal(("file-list", lists.Train, lists.Val), (c.Data.Kind, c.Data.TrainList, c.Data.ValList));
        using var data = Vicreg.Training.Sources.RunData.Prepare(c, _ => { });
        Assert.Equal((16, 4), (data.Splits.Train.Count, data.Splits.HeldOut!.Count));
    }

    [Fact]
    public void AnAudioFolderGetsCropsFromTheClipDurations()
    {
        using var dir = new TempDir();
        for (int k = 0; k < 2; k++)
            for (int i = 0; i < 10; i++) Wav(dir.Combine("words", $"w{k}", $"{i}.wav"), 0.6 + 0.05 * i, 22050);
        var r = DataInspection.Inspect(dir.Combine("words"));
        Assert.Equal(("audio", "audio-folder", 22050), (r.Modality, r.Kind, r.SampleRate));
        Assert.Contains(r.Lines(), l => l.Contains("clip durations (20 inspected): median 0.85 s"));
        var choice = StarterConfig.Build(r, "words", 5, null, _ => 0.2);
        File.WriteAllText(dir.Combine("audio.json"), choice.Json);
        var c = ConfigLoader.LoadFile(dir.Combine("audio.json"));
        Assert.Equal(8000, c.Data.Audio.SampleRate);
        Assert.Equal(8000, c.Model.BranchA.Mel!.SampleRate); // follows the data's rate, set once
        Assert.Equal(0.6, c.Data.Audio.ViewA.CropSeconds, 9); // min(10th percentile 0.65 → 0.6 after rounding, 0.8 × 0.85 = 0.68)
        Assert.Equal(0.8, c.Data.Audio.EvalSeconds, 9); // the median clip (0.85 s, a few samples short) to 0.1 s
        Assert.Equal("spectrogram-resnet18", c.Model.BranchA.Encoder);
    }
}
