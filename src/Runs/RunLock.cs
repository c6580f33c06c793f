using System.Diagnostics;
using System.Globalization;
using Vicreg.Training.Runs;

namespace Vicreg.Runs;

/// <summary>
/// One writer per run folder: runs/&lt;name&gt;/run.lock holds "pid host start-time" of the process training
/// there. A second run on the folder is refused with one line naming that process; a lock whose process is gone
/// (same host, no such pid, or a pid reused by a process that started later) is taken over with one line. A lock
/// from another host cannot be checked from here, so it is refused with the file to delete once that run is
/// known to be over. Created with CreateNew, so two runs starting at once cannot both take a free folder.
/// </summary>
public sealed class RunLock : IDisposable
{
    public const string FileName = "run.lock";
    private readonly string path;
    private readonly string content;

    private RunLock(string path, string content)
    {
        this.path = path;
        this.content = content;
    }

    /// <summary>Takes the run folder's lock, or throws <see cref="IOException"/> with one line when a live process holds it.</summary>
    public static RunLock Acquire(RunFolder run, Action<string> info)
    {
        string path = Path.Combine(run.Root, FileName);
        using var me = Process.GetCurrentProcess();
        string content = Describe(Environment.ProcessId, Environment.MachineName, me.StartTime.ToUniversalTime());
        for (int attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
                using (var writer = new StreamWriter(stream)) writer.Write(content);
                return new RunLock(path, content);
            }
            catch (IOException) when (File.Exists(path))
            {
                string held;
                try { held = File.ReadAllText(path).Trim(); }
                catch (FileNotFoundException) { continue; } // released meanwhile
                var (pid, host, started) = Parse(held);
                if (pid is null)
                    info($"warning: {path} is not a lock this program wrote (\"{Flat(held)}\"); taking it over");
                else if (host != Environment.MachineName)
                    throw new IOException($"{run.Root} is in use by process {pid} on host {host} (since {started:u}, {path}); " +
                                          "if that run is over, delete the lock file and run again");
                else if (Alive(pid.Value, started))
                    throw new IOException($"{run.Root} is in use by process {pid} on host {host} (since {started:u}); " +
                                          "wait for it to finish, stop it, or give this run another name");
                else
                    info($"taking over {path}: process {pid} on host {host} (since {started:u}) is no longer running");
                File.Delete(path);
            }
        }
        throw new IOException($"{path}: could not take the run folder's lock (another run keeps taking it)");
    }

    /// <summary>Releases the lock if it is still this process's.</summary>
    public void Dispose()
    {
        try
        {
            if (File.Exists(path) && File.ReadAllText(path).Trim() == content.Trim()) File.Delete(path);
        }
        catch (IOException) { } // the folder went away; nothing left to release
    }

    public static string Describe(int pid, string host, DateTime startedUtc) =>
        $"pid {pid} host {host} started {startedUtc.ToString("O", CultureInfo.InvariantCulture)}\n";

    private static (int? Pid, string Host, DateTime Started) Parse(string text)
    {
        var f = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length == 6 && f[0] == "pid" && f[2] == "host" && f[4] == "started"
            && int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
            && DateTime.TryParse(f[5], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var started))
            return (pid, f[3], started.ToUniversalTime());
        return (null, "", default);
    }

    /// <summary>Whether the process is running and is the one that wrote the lock (a reused pid started later).</summary>
    private static bool Alive(int pid, DateTime startedUtc)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            if (p.HasExited || Zombie(pid)) return false;
            return Math.Abs((p.StartTime.ToUniversalTime() - startedUtc).TotalSeconds) < 2;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>A process that has exited but not been reaped yet (state Z), e.g. a rank whose launcher went first.</summary>
    private static bool Zombie(int pid)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] == 'Z';
        }
        catch (IOException) { return false; }
    }

    private static string Flat(string s) => s.Length <= 80 ? s.ReplaceLineEndings(" ") : s[..80].ReplaceLineEndings(" ") + "…";
}
