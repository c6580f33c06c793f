using System.Diagnostics;

namespace Vicreg.Tests.Training.Runs;

/// <summary>A fact that needs a size-limited tmpfs: skipped, visibly and with the reason, where this process may not
/// mount one (not root, or a container without CAP_SYS_ADMIN). Decided once, at discovery.</summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Why = new(Probe);

    public TmpfsFactAttribute()
    {
        if (Why.Value is { } why) Skip = $"needs a size-limited tmpfs: {why}";
    }

    /// <summary>Mounts a size-limited tmpfs at <paramref name="dir"/>; dispose to unmount.</summary>
    public static IDisposable Mount(string dir, string size)
    {
        Directory.CreateDirectory(dir);
        Run("mount", $"-t tmpfs -o size={size} tmpfs {dir}");
        return new Unmount(dir);
    }

    private sealed class Unmount(string dir) : IDisposable
    {
        public void Dispose() => Run("umount", dir);
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux()) return "not Linux";
        string dir = Path.Combine(Path.GetTempPath(), "vicreg-tmpfs-probe-" + Environment.ProcessId);
        try
        {
            using (Mount(dir, "64k")) { }
            return null;
        }
        catch (Exception e) { return e.Message; }
        finally { try { Directory.Delete(dir); } catch (IOException) { } }
    }

    private static void Run(string program, string args)
    {
        using var p = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false })!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new IOException($"{program} {args} failed ({p.ExitCode}): {err.Trim()}");
    }
}
