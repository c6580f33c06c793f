using Vicreg.Core;
using Vicreg.Training.Config;

namespace Vicreg.Runs;

/// <summary>Sizes libtorch's intra-op threads for a run from its config (torch_threads, data.workers) and
/// says so once per change; see <see cref="TorchThreads"/> for the rule and the overrides.</summary>
public static class ThreadSetup
{
    static string? lastLine;

    public static void Apply(ExperimentConfig c, Action<string> info)
    {
        string line = TorchThreads.Apply(c.Data.Workers, c.TorchThreads);
        if (line == lastLine) return;
        lastLine = line;
        info(line);
    }
}
