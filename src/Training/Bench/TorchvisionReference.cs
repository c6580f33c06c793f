using System.Diagnostics;
using System.Globalization;

namespace Vicreg.Training.Bench;

/// <summary>
/// Runs bench/reference/augment_bench.py (torchvision + PIL, the official TrainTransform) with
/// /usr/bin/python3 on the same files, in the same run, when both are present. Returns pairs/s per
/// worker count, or null with the reason when the reference cannot run.
/// </summary>
public static class TorchvisionReference
{
    public const string Interpreter = "/usr/bin/python3";
    public const string Script = "bench/reference/augment_bench.py";

    /// <summary>The script under the current folder or any parent of it or of the executable's folder.</summary>
    public static string? FindScript()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, Script);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    public static (Dictionary<int, (double Wall, double Cpu)>? Rates, string? Why) Run(string imageFolder, int pairsPerWorker, int rounds,
        IReadOnlyList<int> workers, int size, Action<string> print)
    {
        string? script = FindScript();
        if (script is null) return (null, $"{Script} not found");
        if (!File.Exists(Interpreter)) return (null, $"{Interpreter} not found");
        var psi = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { script, "--images", imageFolder, "--pairs", pairsPerWorker.ToString(CultureInfo.InvariantCulture),
                     "--rounds", rounds.ToString(CultureInfo.InvariantCulture), "--workers", string.Join(",", workers),
                     "--size", size.ToString(CultureInfo.InvariantCulture) })
            psi.ArgumentList.Add(arg);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var rates = new Dictionary<int, (double, double)>();
        string? line;
        while ((line = p.StandardOutput.ReadLine()) is not null)
        {
            print(line);
            if (!line.StartsWith("reference ", StringComparison.Ordinal)) continue;
            var fields = line.Split(' ').Skip(1).Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1]);
            if (fields.TryGetValue("workers", out var w) && fields.TryGetValue("pairs_per_s", out var r) && fields.TryGetValue("pairs_per_cpu_s", out var c))
                rates[int.Parse(w, CultureInfo.InvariantCulture)] = (double.Parse(r, CultureInfo.InvariantCulture), double.Parse(c, CultureInfo.InvariantCulture));
        }
        p.WaitForExit();
        if (p.ExitCode != 0 || rates.Count == 0)
        {
            string err = stderr.Result.Trim().Split('\n').LastOrDefault() ?? "";
            return (null, $"the reference exited with code {p.ExitCode}{(err.Length > 0 ? ": " + err : "")} (needs python3-torchvision and python3-pil)");
        }
        return (rates, null);
    }
}
