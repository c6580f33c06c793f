using System.Diagnostics;

namespace Vicreg.Tests.Training.Distributed;

/// <summary>A fact that needs mpirun and gcc (to build the host-memory stand-ins of libcudart and libnccl from
/// tests/native); reported as skipped where either is missing (.ci/run installs Open MPI; gcc is Debian's gcc).</summary>
public sealed class NcclStandInFactAttribute : FactAttribute
{
    public NcclStandInFactAttribute()
    {
        if (MpiRun.Launcher() is null) Skip = "mpirun (Open MPI) is not on PATH: apt-get install openmpi-bin libopenmpi-dev (.ci/run does)";
        else if (NcclStandIn.Compiler() is null) Skip = "gcc is not on PATH (it builds the libcudart/libnccl stand-ins): apt-get install gcc";
    }
}

/// <summary>Builds tests/native's stand-ins into a folder: libcudart.so.13 (only that name, as PyTorch's CUDA 13
/// wheels ship it) and libnccl.so.2 linked against it.</summary>
internal static class NcclStandIn
{
    public static string? Compiler()
    {
        if (!OperatingSystem.IsLinux()) return null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            if (File.Exists(Path.Combine(dir, "gcc"))) return Path.Combine(dir, "gcc");
        return null;
    }

    public static void Build(string folder)
    {
        string source = RepoFiles.PathOf("tests/native");
        Gcc("-shared", "-fPIC", "-Wall", "-Werror", "-Wl,-soname,libcudart.so.13", "-o", Path.Combine(folder, "libcudart.so.13"),
            Path.Combine(source, "cudart_standin.c"), "-ldl");
        Gcc("-shared", "-fPIC", "-Wall", "-Werror", "-o", Path.Combine(folder, "libnccl.so.2"), Path.Combine(source, "nccl_standin.c"),
            "-L" + folder, "-l:libcudart.so.13", "-Wl,-rpath,$ORIGIN");
    }

    private static void Gcc(params string[] arguments)
    {
        var start = new ProcessStartInfo(Compiler()!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"gcc {string.Join(' ', arguments)} failed:\n{output}");
    }
}
