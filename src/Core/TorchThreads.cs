namespace Vicreg.Core;

/// <summary>
/// How many intra-op threads libtorch runs, sized against the loader's worker threads so that the two
/// do not fight over the cores. Order of precedence: the environment variable
/// <see cref="EnvironmentVariable"/>, then the config's <c>torch_threads</c>, then
/// <see cref="Auto"/>. Pin it (e.g. VICREG_TORCH_THREADS=2) where results must match bit for bit across
/// machines: libtorch's reductions are split by thread, so the thread count can change the last bits.
/// </summary>
public static class TorchThreads
{
    public const string EnvironmentVariable = "VICREG_TORCH_THREADS";

    /// <summary>The cores this process may use (affinity and cgroup limits included).</summary>
    public static int Cores => Environment.ProcessorCount;

    /// <summary>All cores, less one for every two loader workers: workers sleep once the bounded prefetch
    /// queue is full, so on average they need well under a core each, and libtorch's own thread 0 is the
    /// training thread itself. 2 cores: 2 threads with 1 worker, 1 with 2 workers.</summary>
    public static int Auto(int cores, int loaderWorkers) => Math.Max(1, cores - Math.Max(0, loaderWorkers) / 2);

    /// <summary>The thread count and where it came from. <paramref name="configured"/> ≤ 0 means auto.</summary>
    public static (int Threads, string Source) Resolve(int loaderWorkers, int configured) =>
        Resolve(loaderWorkers, configured, NativeEnvironment.Get(EnvironmentVariable));

    /// <summary><see cref="Resolve(int, int)"/> with the variable's value given (null: unset).</summary>
    public static (int Threads, string Source) Resolve(int loaderWorkers, int configured, string? env)
    {
        if (!string.IsNullOrWhiteSpace(env))
        {
            if (!int.TryParse(env.Trim(), out int n) || n < 1)
                throw new InvalidOperationException($"{EnvironmentVariable}: must be a whole number ≥ 1; got \"{env}\"");
            return (n, $"{EnvironmentVariable}={n}");
        }
        if (configured > 0) return (configured, "torch_threads in the config");
        return (Auto(Cores, loaderWorkers), $"auto: {Cores} cores, {loaderWorkers} loader workers");
    }

    /// <summary>Sets libtorch's intra-op thread count (see <see cref="Resolve"/>) and its CPU convolutions
    /// (<see cref="CpuConvolutions"/>); returns a line saying what was set and why.</summary>
    public static string Apply(int loaderWorkers, int configured)
    {
        var (threads, source) = Resolve(loaderWorkers, configured);
        if (TorchSharp.torch.get_num_threads() != threads) TorchSharp.torch.set_num_threads(threads);
        string convolutions = CpuConvolutions.Apply();
        return $"libtorch: {threads} intra-op thread{(threads == 1 ? "" : "s")} ({source}), {SharedMachine.DefaultWaitPolicyLine()}; {convolutions}";
    }
}
