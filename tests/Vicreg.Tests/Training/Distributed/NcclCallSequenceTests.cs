using Vicreg.Runs;
using System.Globalization;
using System.Text.RegularExpressions;
using Vicreg.Tests.Training;
using Vicreg.Training.Distributed;
using Vicreg.Training.Runs;

namespace Vicreg.Tests.Training.Distributed;

/// <summary>
/// The real NcclCollectives and DistributedExecutor, in a 2-rank `vicreg pretrain` under mpirun, against host-memory
/// stand-ins of libcudart and libnccl (tests/native) that log every call per rank and run each collective only when
/// the stream is synchronised, as a GPU completes it only later. Per rank: the device is set before any other call
/// (otherwise every rank makes a context on GPU 0); rank 0's unique id reaches rank 1; each collective works on a
/// tensor's memory and is synchronised before the next call; and the loss column is the MPI backend's.
/// </summary>
public class NcclCallSequenceTests
{
    private static readonly string[] Settings =
    {
        "optim.epochs=1", "optim.warmup_epochs=0", "eval.linear_probe=false", "eval.diagnostics=false", "output.tensorboard=false", "output.plots=false",
    };

    private static string[] Arguments(TinyExperiment tiny, string name) =>
        tiny.Overrides(name, Settings).SelectMany(o => new[] { "--set", o }).Prepend("pretrain").ToArray();

    private static double[] Losses(TinyExperiment tiny, string name) =>
        StatsLog.Read(Path.Combine(tiny.Root, "runs", name, "stats.csv")).Select(r => r.Loss).ToArray();

    [NcclStandInFact]
    public void A_two_rank_step_through_the_nccl_stand_in_sets_the_device_first_syncs_every_collective_and_matches_mpi()
    {
        using var tiny = new TinyExperiment();
        string lib = Path.Combine(tiny.Root, "standin"), logs = Path.Combine(tiny.Root, "calls");
        Directory.CreateDirectory(lib);
        Directory.CreateDirectory(logs);
        NcclStandIn.Build(lib);

        var (mpiCode, mpiOutput) = MpiRun.Run(2, tiny.Root, Arguments(tiny, "mpi"));
        Assert.True(mpiCode == 0, mpiOutput);
        var environment = new Dictionary<string, string>
        {
            [ProcessSetup.NcclOnHostVariable] = "1",
            ["VICREG_STANDIN_LOG"] = logs,
            ["LD_LIBRARY_PATH"] = lib + (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") is { Length: > 0 } old ? ":" + old : ""),
        };
        var (ncclCode, ncclOutput) = MpiRun.Run(2, tiny.Root, Arguments(tiny, "nccl"), environment);
        Assert.True(ncclCode == 0, ncclOutput);
        Assert.Contains("NCCL on cuda:0", ncclOutput);

        var mpi = Losses(tiny, "mpi");
        var nccl = Losses(tiny, "nccl");
        Assert.Equal(4, mpi.Length); // 32 images, global batch 8, one epoch
        Assert.Equal(mpi.Length, nccl.Length);
        for (int i = 0; i < mpi.Length; i++)
            Assert.True(Math.Abs(mpi[i] - nccl[i]) <= 1e-6 * Math.Abs(mpi[i]), $"step {i}: MPI {mpi[i]:R}, NCCL stand-in {nccl[i]:R}");

        var calls = new[] { 0, 1 }.Select(r => File.ReadAllLines(Path.Combine(logs, $"rank-{r}.log"))).ToArray();
        string? sharedId = null;
        for (int rank = 0; rank < 2; rank++)
        {
            var lines = calls[rank];
            string where = $"rank {rank}'s calls:\n{string.Join("\n", lines.Take(12))}";
            // The device first: any CUDA call before it would create a context on GPU 0.
            Assert.True(lines.Length > 0 && lines[0] == $"cudaSetDevice {rank}", where);
            Assert.DoesNotContain(lines, l => l.Contains("device=-1"));
            // Only rank 0 makes the unique id; every rank joins with the same one.
            Assert.Equal(rank == 0 ? 1 : 0, lines.Count(l => l.StartsWith("ncclGetUniqueId", StringComparison.Ordinal)));
            var init = Assert.Single(lines, l => l.StartsWith("ncclCommInitRank", StringComparison.Ordinal));
            Assert.Contains($"nranks=2 rank={rank} ", init);
            string id = Regex.Match(init, "id=([0-9a-f]+)").Groups[1].Value;
            sharedId ??= id;
            Assert.Equal(sharedId, id);
            Assert.DoesNotMatch("id=0+$", init);

            // Each collective on real memory, synchronised (and so completed) before the next call of any kind.
            var collectives = Enumerable.Range(0, lines.Length).Where(i => Regex.IsMatch(lines[i], "^nccl(AllReduce|AllGather|Broadcast) ")).ToArray();
            Assert.True(collectives.Length >= 4 * 3, $"rank {rank}: only {collectives.Length} collectives for 4 steps\n{where}");
            foreach (int i in collectives)
            {
                Assert.DoesNotContain("send=(nil)", lines[i]);
                Assert.True(i + 1 < lines.Length && lines[i + 1].StartsWith("cudaStreamSynchronize", StringComparison.Ordinal) && lines[i + 1].EndsWith("ran=1", StringComparison.Ordinal),
                    $"rank {rank}: {lines[i]} is followed by {(i + 1 < lines.Length ? lines[i + 1] : "nothing")}, not by the stream's synchronisation");
            }
            // The in-place reductions and broadcasts work on one buffer.
            Assert.All(collectives.Select(i => lines[i]).Where(l => !l.StartsWith("ncclAllGather", StringComparison.Ordinal)),
                l => Assert.Equal(Regex.Match(l, "send=(\\S+)").Groups[1].Value, Regex.Match(l, "recv=(\\S+)").Groups[1].Value));
            Assert.Equal("ncclCommDestroy device=" + rank.ToString(CultureInfo.InvariantCulture), lines[^1]);
        }
        // Both ranks made the same collectives in the same order (counts per call).
        Assert.Equal(Shapes(calls[0]), Shapes(calls[1]));
    }

    private static string[] Shapes(string[] lines) => lines.Where(l => l.StartsWith("nccl", StringComparison.Ordinal) && l.Contains("count="))
        .Select(l => l.Split(' ')[0] + " " + Regex.Match(l, "count=\\d+ type=\\d+").Value).ToArray();
}
