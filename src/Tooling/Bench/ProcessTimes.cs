using System.Globalization;

namespace Vicreg.Tooling.Bench;

/// <summary>This process's CPU time (user + system, all threads) and minor page faults so far, from /proc/self/stat
/// (Linux; elsewhere CPU time from .NET and no faults).</summary>
internal readonly record struct ProcessTimes(double CpuSeconds, long MinorFaults)
{
    public static ProcessTimes Read()
    {
        try
        {
            string stat = File.ReadAllText("/proc/self/stat");
            // The fields after "(name) ": state is field 3, minflt 10, utime 14, stime 15 (proc(5)); times in clock ticks.
            var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long Field(int n) => long.Parse(f[n - 3], CultureInfo.InvariantCulture);
            const double ticksPerSecond = 100; // USER_HZ on Linux
            return new ProcessTimes((Field(14) + Field(15)) / ticksPerSecond, Field(10));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return new ProcessTimes(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, 0);
        }
    }
}
