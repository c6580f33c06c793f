using System.Diagnostics;
using System.Globalization;

namespace Vicreg.Tooling.Bench;

/// <summary>
/// The torchvision + PIL side of the augmentation benchmark: bench/reference/augment_bench.py (the
/// official TrainTransform) run with /usr/bin/python3 on the same files, in the same run. It runs in
/// interleaved mode: the script warms up once, then times one round whenever <see cref="Round"/> asks,
/// so this project's rounds and the reference's alternate and share the machine's ups and downs.
/// </summary>
public sealed class TorchvisionReference : IDisposable
{
    public const string Interpreter = "/usr/bin/python3";
    public const string Script = "bench/reference/augment_bench.py";

    private readonly Process _process;

    private TorchvisionReference(Process process) => _process = process;

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

    /// <summary>Starts the reference and waits for its warm-up; null with the reason when it cannot run.</summary>
    public static (TorchvisionReference? Session, string? Why) Start(string imageFolder, int pairsPerWorker, IReadOnlyList<int> workers, int size)
    {
        string? script = FindScript();
        if (script is null) return (null, $"{Script} not found");
        if (!File.Exists(Interpreter)) return (null, $"{Interpreter} not found");
        var psi = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { script, "--serve", "--images", imageFolder, "--pairs", pairsPerWorker.ToString(CultureInfo.InvariantCulture),
                     "--workers", string.Join(",", workers), "--size", size.ToString(CultureInfo.InvariantCulture) })
            psi.ArgumentList.Add(arg);
        var p = Process.Start(psi)!;
        var stderr = new System.Text.StringBuilder();
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        p.BeginErrorReadLine();
        string? line = p.StandardOutput.ReadLine();
        if (line != "ready")
        {
            p.WaitForExit(10_000);
            string err;
            lock (stderr) err = stderr.ToString().Trim().Split('\n').LastOrDefault() ?? "";
            p.Dispose();
            return (null, $"the reference did not start{(err.Length > 0 ? ": " + err : "")} (needs python3-torchvision and python3-pil)");
        }
        return (new TorchvisionReference(p), null);
    }

    /// <summary>Times one round with <paramref name="workers"/> worker processes: (pairs/s, pairs per CPU-second).</summary>
    public (double Wall, double Cpu) Round(int workers)
    {
        _process.StandardInput.WriteLine($"round {workers}");
        _process.StandardInput.Flush();
        string line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the torchvision reference stopped");
        var fields = line.Split(' ').Skip(1).Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1]);
        return (double.Parse(fields["pairs_per_s"], CultureInfo.InvariantCulture), double.Parse(fields["pairs_per_cpu_s"], CultureInfo.InvariantCulture));
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.WriteLine("quit");
            _process.StandardInput.Flush();
            if (!_process.WaitForExit(10_000)) _process.Kill(entireProcessTree: true);
        }
        catch (IOException) { }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
