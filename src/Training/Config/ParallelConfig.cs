using Vicreg.Core;

namespace Vicreg.Training.Config;

/// <summary>Single-node data parallelism: one replica per device in one process (see README "GPUs").</summary>
public sealed record ParallelConfig
{
    /// <summary>Devices for the replicas, e.g. ["cuda:0", "cuda:1"]; the first holds the weights the optimizer
    /// steps and computes the loss. Empty (the default): one device, the top-level <c>device</c>.</summary>
    [Option("Devices for the replicas, e.g. [\"cuda:0\", \"cuda:1\"]; the first holds the weights the optimizer steps and computes the loss. Empty (the default): one device, the top-level device.")]
    public IReadOnlyList<string> Devices { get; init; } = Array.Empty<string>();
    /// <summary>Batch-norm statistics over the global batch, as the official code's SyncBatchNorm (true), or per replica.</summary>
    [Option("Batch-norm statistics over the global batch, as the official code's SyncBatchNorm (true), or per replica.")]
    public bool SyncBatchNorm { get; init; } = true;
}
