using System.Diagnostics;

namespace Vicreg.Tooling.Bench;

/// <summary>
/// Runs a PyTorch reference script from bench/reference with Debian's /usr/bin/python3, side by side
/// with our measurement, so that a benchmark prints a ratio from the same run on the same machine.
/// Python is a measuring tool here, never a requirement: when it or torch is missing, the reason is returned.
/// </summary>
public static class PyTorchReference
{
    /// <summary>The interpreter: $VICREG_PYTHON (on a GPU box, the Python whose PyTorch gives the libtorch), else Debian's.</summary>
    public static string Python =>
        Environment.GetEnvironmentVariable("VICREG_PYTHON") is { Length: > 0 } chosen ? chosen : "/usr/bin/python3";

    /// <summary>bench/reference/<paramref name="script"/>, looked up from the working folder and the executable's folder upwards.</summary>
    public static string? FindScript(string script)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "bench", "reference", script);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    /// <summary>The script's standard output lines, or the reason it could not run.</summary>
    public static (IReadOnlyList<string>? Lines, string? WhyNot) Run(string script, IEnumerable<string> args, TimeSpan timeout)
    {
        string python = Python;
        if (!File.Exists(python)) return (null, $"{python} not found (apt-get install python3-torch python3-torchvision, or set VICREG_PYTHON)");
        var path = FindScript(script);
        if (path is null) return (null, $"bench/reference/{script} not found above {Directory.GetCurrentDirectory()}");
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(path);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(true);
            return (null, $"the PyTorch reference did not finish in {timeout.TotalSeconds:F0} s");
        }
        if (p.ExitCode != 0)
        {
            var last = stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
            return (null, $"the PyTorch reference failed (exit {p.ExitCode}): {last.Trim()}");
        }
        return (stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), null);
    }
}
