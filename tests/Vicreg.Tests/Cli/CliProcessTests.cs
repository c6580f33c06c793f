using System.Diagnostics;

namespace Vicreg.Tests.Cli;

/// <summary>Runs the real vicreg executable (copied into the test output) as a user would.</summary>
public class CliProcessTests
{
    internal static (int Code, string Output) Vicreg(string workingDir, params string[] args) => Vicreg(workingDir, null, args);

    internal static (int Code, string Output) Vicreg(string workingDir, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vicreg.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(10))) { p.Kill(true); throw new TimeoutException("vicreg did not finish in 10 minutes"); } // a hang guard, generous for loaded machines
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    [Fact]
    public void ABadConfigGivesOneLineNamingTheFileAndFieldAndNoStackTrace()
    {
        using var temp = new TempDir();
        string dir = temp.Path;
        File.WriteAllText(Path.Combine(dir, "bad.json"), "{ \"data\": { \"kind\": \"synthetic-images\" }, \"optim\": { \"batch_size\": 1 } }");
        var (code, output) = Vicreg(dir, "pretrain", "--config", "bad.json");
        Assert.Equal(2, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.Contains("bad.json", line);
        Assert.Contains("optim.batch_size", line);
        Assert.DoesNotContain(" at ", output);
    }

    [Fact]
    public void AMissingDataFolderIsOneClearLine()
    {
        using var temp = new TempDir();
        string dir = temp.Path;
        var (code, output) = Vicreg(dir, "pretrain", "--set", "data.kind=image-folder", "--set", "data.train=/no/such/folder");
        Assert.Equal(2, code);
        Assert.Contains("/no/such/folder", output);
        Assert.DoesNotContain(" at Vicreg", output);
    }

    [Fact]
    public void SynthAudioThenPretrainWaveformAgainstSpectrogramOnTheFolder()
    {
        using var temp = new TempDir();
        string dir = temp.Path;
        var synth = Vicreg(dir, "synth", "audio", "--out", "sounds", "--classes", "2", "--train-per-class", "6", "--val-per-class", "2",
            "--seconds", "0.5", "--sample-rate", "8000");
        Assert.True(synth.Code == 0, synth.Output);
        Assert.Equal(16, Directory.GetFiles(Path.Combine(dir, "sounds"), "*.wav", SearchOption.AllDirectories).Length);
        var pretrain = Vicreg(dir, "pretrain",
            "--set", "name=sounds", "--set", "device=cpu", "--set", "data.kind=audio-folder",
            "--set", "data.train=sounds/train", "--set", "data.val=sounds/val", "--set", "data.audio.sample_rate=8000",
            "--set", "data.audio.view_a.crop_seconds=0.25", "--set", "data.audio.view_b.crop_seconds=0.25", "--set", "data.audio.eval_seconds=0.5",
            "--set", "model.shared=false", "--set", "model.branch_a.encoder=resnet1d18", "--set", "model.branch_a.base_width=4",
            "--set", "model.branch_a.expander=16-16", "--set", "model.branch_b.encoder=spectrogram-resnet18", "--set", "model.branch_b.base_width=4",
            "--set", "model.branch_b.expander=16-16", "--set", "model.branch_b.mel.sample_rate=8000", "--set", "model.branch_b.mel.n_fft=128",
            "--set", "model.branch_b.mel.win_length=128", "--set", "model.branch_b.mel.hop_length=64", "--set", "model.branch_b.mel.n_mels=16",
            "--set", "optim.name=adamw", "--set", "optim.base_lr=0.001", "--set", "optim.scale_lr_with_batch=false",
            "--set", "optim.batch_size=4", "--set", "optim.epochs=1", "--set", "optim.warmup_epochs=0",
            "--set", "eval.linear_probe=true", "--set", "eval.compare_random_init=true", "--set", "eval.epochs=3");
        Assert.True(pretrain.Code == 0, pretrain.Output);
        Assert.Contains("for the pretrained waveform branch (A)", pretrain.Output);
        Assert.Contains("for the pretrained spectrogram branch (B)", pretrain.Output);
        Assert.Contains("for the pretrained concatenation of both branches", pretrain.Output);
    }

    [Fact]
    public void SynthThenPretrainOnTheFolderThenLinearEval()
    {
        using var temp = new TempDir();
        string dir = temp.Path;
        var synth = Vicreg(dir, "synth", "images", "--out", "shapes", "--classes", "2", "--train-per-class", "16", "--val-per-class", "4", "--size", "24");
        Assert.True(synth.Code == 0, synth.Output);
        var pretrain = Vicreg(dir, "pretrain",
            "--set", "name=folder", "--set", "device=cpu", "--set", "data.kind=image-folder",
            "--set", "data.train=shapes/train", "--set", "data.val=shapes/val", "--set", "data.image_size=16",
            "--set", "model.branch_a.encoder=resnet18", "--set", "model.branch_a.expander=32-32",
            "--set", "optim.batch_size=8", "--set", "optim.epochs=1", "--set", "optim.warmup_epochs=0",
            "--set", "eval.linear_probe=true", "--set", "eval.compare_random_init=true", "--set", "eval.epochs=3");
        Assert.True(pretrain.Code == 0, pretrain.Output);
        Assert.Contains("What it learned", pretrain.Output);
        Assert.Equal(5, File.ReadAllLines(Path.Combine(dir, "runs", "folder", "stats.csv")).Length); // header + 4 steps
        var eval = Vicreg(dir, "linear-eval", "--run", "runs/folder");
        Assert.True(eval.Code == 0, eval.Output);
        Assert.Contains("pretrained-step4", eval.Output);
        Assert.DoesNotContain(" at Vicreg", eval.Output);
    }

    [Fact]
    public void SynthImagesWritesTheDataset()
    {
        using var temp = new TempDir();
        string dir = temp.Path;
        var (code, output) = Vicreg(dir, "synth", "images", "--out", "shapes", "--classes", "3", "--train-per-class", "2", "--val-per-class", "1", "--size", "16");
        Assert.True(code == 0, output);
        Assert.Equal(6, Directory.GetFiles(Path.Combine(dir, "shapes", "train"), "*.png", SearchOption.AllDirectories).Length);
        Assert.Equal(3, Directory.GetFiles(Path.Combine(dir, "shapes", "val"), "*.png", SearchOption.AllDirectories).Length);
    }
}
