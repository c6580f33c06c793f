using System.Diagnostics;
using System.Text;

namespace Vicreg.Tests.Training.Distributed;

/// <summary>A fact that needs Open MPI's mpirun on PATH; reported as skipped where there is none (.ci/run installs it).</summary>
public sealed class MpiFactAttribute : FactAttribute
{
    public MpiFactAttribute()
    {
        if (MpiRun.Launcher() is null) Skip = "mpirun (Open MPI) is not on PATH: apt-get install openmpi-bin libopenmpi-dev (.ci/run does)";
    }
}

/// <inheritdoc cref="MpiFactAttribute"/>
public sealed class MpiTheoryAttribute : TheoryAttribute
{
    public MpiTheoryAttribute()
    {
        if (MpiRun.Launcher() is null) Skip = "mpirun (Open MPI) is not on PATH: apt-get install openmpi-bin libopenmpi-dev (.ci/run does)";
    }
}

/// <summary>vicreg as a child process: alone, or as N ranks under mpirun. One libtorch thread per process and
/// passive OpenMP waits, so ranks sharing the test machine's cores do not starve each other.</summary>
internal static class MpiRun
{
    public static string? Launcher()
    {
        if (!OperatingSystem.IsLinux()) return null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            if (File.Exists(Path.Combine(dir, "mpirun"))) return Path.Combine(dir, "mpirun");
        return null;
    }

    /// <summary>Starts `vicreg pretrain` with <paramref name="ranks"/> processes (1: no launcher at all).</summary>
    public static Started Start(int ranks, string workingDirectory, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(ranks > 1 ? Launcher()! : "dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        if (ranks > 1)
            foreach (var a in new[] { "--oversubscribe", "-np", ranks.ToString(), "dotnet" }) start.ArgumentList.Add(a);
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vicreg.dll"));
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["OMP_NUM_THREADS"] = "1";
        start.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        start.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        start.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        start.Environment["OMPI_MCA_btl"] = "self,vader,tcp"; // no InfiniBand probing in test logs
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        return new Started(Process.Start(start)!);
    }

    /// <summary>Waits (with a generous hang guard for loaded machines) and returns the exit code and all output.</summary>
    public static (int ExitCode, string Output) Run(int ranks, string workingDirectory, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        using var s = Start(ranks, workingDirectory, arguments, environment);
        return (s.Wait(TimeSpan.FromMinutes(10)), s.Output);
    }

    internal sealed class Started : IDisposable
    {
        private readonly StringBuilder output = new();

        public Started(Process process)
        {
            Process = process;
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public string Output { get { lock (output) return output.ToString(); } }

        public int Wait(TimeSpan limit)
        {
            if (!Process.WaitForExit(limit))
            {
                Process.Kill(entireProcessTree: true);
                throw new TimeoutException($"vicreg did not finish in {limit}:\n{Output}");
            }
            Process.WaitForExit();
            return Process.ExitCode;
        }

        /// <summary>The pid of the rank-<paramref name="rank"/> process that this mpirun started (Open MPI puts
        /// OMPI_COMM_WORLD_RANK in each rank's environment).</summary>
        public int? RankPid(int rank)
        {
            foreach (var dir in Directory.GetDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    if (int.Parse(fields[1]) != Process.Id) continue; // parent pid
                    var env = File.ReadAllText(Path.Combine(dir, "environ")).Split('\0');
                    if (env.Contains($"OMPI_COMM_WORLD_RANK={rank}")) return pid;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
            }
            return null;
        }

        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            Process.Dispose();
        }
    }
}
