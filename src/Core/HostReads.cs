using static TorchSharp.torch;

namespace Vicreg.Core;

/// <summary>
/// The one way the training step copies values from the device to the host. Each call is one read-back (a
/// device synchronisation on a GPU); the per-thread count lets a test check that a step makes exactly one.
/// </summary>
public static class HostReads
{
    [ThreadStatic] private static long onThisThread;

    /// <summary>How many read-backs this thread has made so far.</summary>
    public static long OnThisThread => onThisThread;

    /// <summary>The values of <paramref name="values"/> as float64 on the host, in one transfer.</summary>
    public static double[] Doubles(Tensor values)
    {
        onThisThread++;
        using var host = values.detach().to_type(ScalarType.Float64).cpu();
        return host.data<double>().ToArray();
    }
}
