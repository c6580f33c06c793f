using System.Diagnostics;

namespace Vicreg.Tests.Cli;

/// <summary>Runs the real vicreg executable (copied into the test output) as a user would.</summary>
public class CliProcessTests
{
    internal static (int Code, string Output) Vicreg(string workingDir, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDir, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vicreg.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(3))) { p.Kill(true); throw new TimeoutException("vicreg did not finish in 3 minutes"); }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    private static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "vicreg-cli-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(d);
        return d;
    }

    [Fact]
    public void ABadConfigGivesOneLineNamingTheFileAndFieldAndNoStackTrace()
    {
        var dir = TempDir();
        try
        {
            File.WriteAllText(Path.Combine(dir, "bad.json"), "{ \"data\": { \"kind\": \"synthetic-images\" }, \"optim\": { \"batch_size\": 1 } }");
            var (code, output) = Vicreg(dir, "pretrain", "--config", "bad.json");
            Assert.Equal(2, code);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var line = Assert.Single(lines);
            Assert.Contains("bad.json", line);
            Assert.Contains("optim.batch_size", line);
            Assert.DoesNotContain(" at ", output);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void AMissingDataFolderIsOneClearLine()
    {
        var dir = TempDir();
        try
        {
            var (code, output) = Vicreg(dir, "pretrain", "--set", "data.kind=image-folder", "--set", "data.train=/no/such/folder");
            Assert.Equal(2, code);
            Assert.Contains("/no/such/folder", output);
            Assert.DoesNotContain(" at Vicreg", output);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void SynthImagesWritesTheDataset()
    {
        var dir = TempDir();
        try
        {
            var (code, output) = Vicreg(dir, "synth", "images", "--out", "shapes", "--classes", "3", "--train-per-class", "2", "--val-per-class", "1", "--size", "16");
            Assert.True(code == 0, output);
            Assert.Equal(6, Directory.GetFiles(Path.Combine(dir, "shapes", "train"), "*.png", SearchOption.AllDirectories).Length);
            Assert.Equal(3, Directory.GetFiles(Path.Combine(dir, "shapes", "val"), "*.png", SearchOption.AllDirectories).Length);
        }
        finally { Directory.Delete(dir, true); }
    }
}
