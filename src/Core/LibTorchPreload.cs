using System.Runtime.InteropServices;

namespace Vicreg.Core;

/// <summary>
/// Runs on a libtorch that is already installed, such as the lib folder of a PyTorch install with CUDA
/// (<c>…/site-packages/torch/lib</c>), instead of the one in the build output. The folder's libraries are
/// loaded by full path, dependencies first, before TorchSharp initialises; TorchSharp's own lookups by
/// name then find them already in the process (the dynamic linker matches sonames). Must run before the
/// first use of <c>TorchSharp.torch</c>. TorchSharp's native shim is built against one libtorch minor
/// version (2.10 for 0.107): a libtorch of another version may lack symbols it needs.
/// </summary>
public static class LibTorchPreload
{
    /// <summary>The environment variable the vicreg executable reads: a folder holding libtorch_cpu.so.</summary>
    public const string EnvironmentVariable = "VICREG_LIBTORCH_DIR";

    /// <summary>Load order: each library's libtorch dependencies come before it. Optional ones are the CUDA parts.</summary>
    private static readonly (string File, bool Required)[] Order =
    {
        ("libc10.so", true), ("libc10_cuda.so", false), ("libtorch_cpu.so", true),
        ("libtorch_cuda.so", false), ("libtorch.so", true),
    };

    /// <summary>The folder the libraries were loaded from, or null when none was preloaded.</summary>
    public static string? Folder { get; private set; }

    /// <summary>Preloads from <see cref="EnvironmentVariable"/> when it is set; returns the loaded files (empty when unset).</summary>
    public static IReadOnlyList<string> FromEnvironment()
    {
        var dir = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(dir)) return Load(dir, $"{EnvironmentVariable}={dir}");
        if (OperatingSystem.IsLinux() && !BundledLibtorch().Any() && File.Exists(Path.Combine(AppContext.BaseDirectory, "TorchSharp.dll")))
            throw new InvalidOperationException(
                $"this build has no libtorch of its own (-p:TorchBackend=external); set {EnvironmentVariable} to the lib folder of a libtorch 2.10 or PyTorch 2.10 install (the one holding libtorch_cpu.so).");
        return Array.Empty<string>();
    }

    /// <summary>Loads the libtorch in <paramref name="folder"/>; a clear <see cref="InvalidOperationException"/>
    /// when the folder or a required library is missing, a library fails to load, or another libtorch is
    /// (or would be) loaded as well.</summary>
    public static IReadOnlyList<string> Load(string folder, string? source = null)
    {
        string what = source ?? folder;
        string dir = Path.GetFullPath(folder);
        if (!Directory.Exists(dir))
            throw new InvalidOperationException(
                $"{what}: no such folder. Point it at the lib folder of a libtorch or PyTorch install (the one holding libtorch_cpu.so, e.g. …/site-packages/torch/lib).");
        if (!OperatingSystem.IsLinux())
            throw new InvalidOperationException($"{what}: loading an installed libtorch is supported on Linux only");
        foreach (var (file, required) in Order)
            if (required && !File.Exists(Path.Combine(dir, file)))
                throw new InvalidOperationException($"{what}: {file} is not in {dir}; this is not a libtorch lib folder (it needs libc10.so, libtorch_cpu.so and libtorch.so).");
        var already = LoadedLibraries.Mapped("libtorch_cpu.so").Where(p => Path.GetDirectoryName(p) != dir).ToList();
        if (already.Count > 0)
            throw new InvalidOperationException($"{what}: too late, libtorch was already loaded from {Path.GetDirectoryName(already[0])}; the preload must run before TorchSharp is first used.");

        RefuseSecondCopyBeforeLoading(what, dir);
        var loaded = new List<string>();
        foreach (var (file, _) in Order)
        {
            string path = Path.Combine(dir, file);
            if (!File.Exists(path)) continue;
            try { NativeLibrary.Load(path); }
            catch (DllNotFoundException e)
            {
                throw new InvalidOperationException($"{what}: {path} did not load: {FirstLine(e.Message)}");
            }
            loaded.Add(path);
        }
        RefuseSecondCopy(what, dir);
        Folder = dir;
        return loaded;
    }

    /// <summary>
    /// A libtorch in the build output that is not the same file as the preloaded one would be mapped as a
    /// second copy when TorchSharp probes its own folder, registering every operator twice. The test asks
    /// the dynamic linker, which compares device and inode: RTLD_NOLOAD on the output's copy succeeds only
    /// when that file is the one already loaded (the same file, or a hard link to it).
    /// </summary>
    private static void RefuseSecondCopy(string what, string dir)
    {
        foreach (var bundled in BundledLibtorch())
        {
            if (Path.GetDirectoryName(bundled) == dir) continue;
            if (LoadedLibraries.FindLoaded(bundled) != IntPtr.Zero) continue;
            throw new InvalidOperationException(
                $"{what}: this build carries its own libtorch ({bundled}), which TorchSharp would load as a second copy. " +
                "Build with -p:TorchBackend=external (TorchSharp without a bundled libtorch) to run on an installed one.");
        }
    }

    /// <summary>The cheap check first, before anything is loaded: a file of another size or date cannot be the same file.</summary>
    private static void RefuseSecondCopyBeforeLoading(string what, string dir)
    {
        var mine = new FileInfo(Path.Combine(dir, "libtorch_cpu.so"));
        foreach (var bundled in BundledLibtorch().Select(p => new FileInfo(p)))
        {
            if (Path.GetDirectoryName(bundled.FullName) == dir) continue;
            if (bundled.Length == mine.Length && bundled.LastWriteTimeUtc == mine.LastWriteTimeUtc) continue; // maybe the same file; checked after loading
            throw new InvalidOperationException(
                $"{what}: this build carries its own libtorch ({bundled.FullName}), which TorchSharp would load as a second copy. " +
                "Build with -p:TorchBackend=external (TorchSharp without a bundled libtorch) to run on an installed one.");
        }
    }

    /// <summary>The libtorch_cpu.so files in the application folder, where TorchSharp looks first.</summary>
    public static IEnumerable<string> BundledLibtorch()
    {
        string bin = AppContext.BaseDirectory;
        foreach (var candidate in new[] { Path.Combine(bin, "libtorch_cpu.so"), Path.Combine(bin, "runtimes", "linux-x64", "native", "libtorch_cpu.so") })
            if (File.Exists(candidate)) yield return candidate;
    }

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
