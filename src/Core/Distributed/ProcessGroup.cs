namespace Vicreg.Core.Distributed;

/// <summary>
/// Whether this process is one rank of a job started by a launcher (mpirun, srun), and the group it joins.
/// Rank and world size come from the engine (MPI_Comm_rank/size); the environment is read only to decide
/// whether to start MPI at all, so a plain `vicreg pretrain` never loads libmpi.
/// </summary>
public static class ProcessGroup
{
    /// <summary>The ranks the launcher started (1 when there is no launcher): Open MPI's mpirun sets
    /// OMPI_COMM_WORLD_SIZE, MPICH's and srun --mpi=pmi2 set PMI_SIZE, srun --mpi=pmix sets PMIX_RANK and
    /// SLURM_STEP_NUM_TASKS.</summary>
    public static int LauncherWorldSize()
    {
        static int? Int(string name) => int.TryParse(Environment.GetEnvironmentVariable(name), out var v) ? v : null;
        return Int("OMPI_COMM_WORLD_SIZE") ?? Int("PMI_SIZE")
            ?? (Environment.GetEnvironmentVariable("PMIX_RANK") is not null ? Int("SLURM_STEP_NUM_TASKS") : null) ?? 1;
    }

    /// <summary>This rank's index among the ranks on its machine (which GPU it takes).</summary>
    public static int LocalRank()
    {
        foreach (var name in new[] { "OMPI_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID", "SLURM_LOCALID" })
            if (int.TryParse(Environment.GetEnvironmentVariable(name), out var v)) return v;
        return 0;
    }

    /// <summary>The MPI group when a launcher started more than one rank, else null (single process).</summary>
    public static ICollectives? JoinIfLaunched() => LauncherWorldSize() > 1 ? MpiCollectives.Join() : null;

    /// <summary>Ends this process's part in the job. Exit code 0 (done) and 130 (a stop every rank agreed on)
    /// finalise MPI normally; any other code means this rank failed while its peers may wait for it in a
    /// collective, so the whole job is aborted, after a line naming this rank.</summary>
    public static void Leave(int exitCode)
    {
        if (MpiCollectives.Current is not { } group) return;
        if (exitCode is 0 or 130)
        {
            group.Dispose();
            return;
        }
        Console.Error.WriteLine($"rank {group.Rank}: failed (exit code {exitCode}); stopping all {group.World} ranks");
        group.Abort(exitCode);
    }
}
