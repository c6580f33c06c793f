using System.Diagnostics;
using System.Globalization;

namespace Vicreg.Tooling.Bench;

/// <summary>How to start one training as a child process: the executable, the arguments before the
/// per-run ones, and the environment variables to add (or, with a null value, remove).</summary>
public sealed record TrainingLauncher(string FileName, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string?> Environment);

/// <summary>Wall times of the rounds: one training alone, two at once, one alone again.</summary>
public sealed record ContentionResult(double AloneFirst, double PairA, double PairB, double AloneLast)
{
    public double Alone => (AloneFirst + AloneLast) / 2;
    /// <summary>The pair's wall time (the later of the two to finish).</summary>
    public double Pair => Math.Max(PairA, PairB);
    /// <summary>Pair over alone: 2.0 when two runs share the cores as well as one uses them.</summary>
    public double Ratio => Pair / Alone;
}

/// <summary>
/// Two trainings at once against one alone, as separate processes, so that what is measured is how
/// libtorch's threads behave next to another CPU-heavy job (the shared-machine case): with spinning
/// OpenMP threads the pair took 7.6× one alone on 2 cores. The alone runs come before and after the pair
/// and are averaged, so that a drift in the machine's load weighs on both sides.
/// </summary>
public static class ContentionBenchmark
{
    public const double Goal = 2.3;

    public static ContentionResult Run(TrainingLauncher launcher, string runsDir, Action<string> print)
    {
        Directory.CreateDirectory(runsDir);
        double first = Time(launcher, runsDir, "alone-1", print);
        print(Line("one alone", first));
        var a = Task.Run(() => Time(launcher, runsDir, "pair-a", print));
        var b = Task.Run(() => Time(launcher, runsDir, "pair-b", print));
        double pairA = a.Result, pairB = b.Result;
        print(Line("two at once", Math.Max(pairA, pairB)) + string.Create(CultureInfo.InvariantCulture, $" ({pairA:F1} s and {pairB:F1} s)"));
        double last = Time(launcher, runsDir, "alone-2", print);
        print(Line("one alone again", last));
        var r = new ContentionResult(first, pairA, pairB, last);
        print(string.Create(CultureInfo.InvariantCulture,
            $"two at once / one alone: {r.Pair:F1} s / {r.Alone:F1} s = {r.Ratio:F2}× for twice the work (goal ≤ {Goal}×; 2.0× is fair sharing) — {(r.Ratio <= Goal ? "within the goal" : "OVER the goal")}"));
        return r;
    }

    static string Line(string what, double seconds) => string.Create(CultureInfo.InvariantCulture, $"{what,-16} {seconds,7:F1} s");

    static double Time(TrainingLauncher launcher, string runsDir, string name, Action<string> print)
    {
        var start = new ProcessStartInfo(launcher.FileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in launcher.Arguments) start.ArgumentList.Add(arg);
        foreach (var arg in new[] { "--set", $"name=contention-{name}", "--set", $"output.runs_dir={runsDir}" }) start.ArgumentList.Add(arg);
        foreach (var (key, value) in launcher.Environment)
            if (value is null) start.Environment.Remove(key); else start.Environment[key] = value;
        string runDir = Path.Combine(runsDir, $"contention-{name}");
        if (Directory.Exists(runDir)) Directory.Delete(runDir, recursive: true); // a finished run would do nothing
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(start) ?? throw new InvalidOperationException($"could not start {launcher.FileName}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        double seconds = clock.Elapsed.TotalSeconds;
        if (p.ExitCode != 0)
        {
            string tail = string.Join(" | ", (stdout.Result + stderr.Result).Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(3));
            throw new InvalidOperationException($"bench contention: training {name} exited with code {p.ExitCode}: {tail}");
        }
        return seconds;
    }
}
