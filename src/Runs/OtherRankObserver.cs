using Vicreg.Training.Runs;
using Vicreg.Training;

namespace Vicreg.Runs;

/// <summary>What a rank other than 0 reports: only warnings, prefixed with its rank. Rank 0 reports the run
/// (progress, stats, summary) for all of them.</summary>
public sealed class OtherRankObserver : ITrainingObserver
{
    private readonly int rank;
    private readonly ITrainingObserver inner;

    public OtherRankObserver(int rank, ITrainingObserver inner)
    {
        this.rank = rank;
        this.inner = inner;
    }

    public void Started(TrainingPlan plan) { }
    public void Step(StepStats stats) { }
    public void EpochEnded(int epoch, double meanLoss, string checkpoint) { }

    public void Info(string line)
    {
        if (line.StartsWith("warning", StringComparison.Ordinal)) inner.Info($"rank {rank}: {line}");
    }
}
