using System.Globalization;

namespace Vicreg.Tooling.Bench;

/// <summary>This process's CPU time so far (user + system, all threads) and its minor page faults (from /proc/self/stat on
/// Linux; 0 elsewhere).</summary>
internal readonly record struct ProcessTimes(double CpuSeconds, long MinorFaults)
{
    public static ProcessTimes Read()
    {
        double cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        try
        {
            string stat = File.ReadAllText("/proc/self/stat");
            // The fields after "(name) " start at field 3 (state); minflt is field 10 (proc(5)).
            var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return new ProcessTimes(cpu, long.Parse(f[10 - 3], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return new ProcessTimes(cpu, 0);
        }
    }
}
