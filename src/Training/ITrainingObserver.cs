using Vicreg.Training.Methods;
using Vicreg.Training.Runs;

namespace Vicreg.Training;

/// <summary>What a long run reports as it goes. The CLI draws progress bars from it; tests collect it.</summary>
public interface ITrainingObserver
{
    void Started(TrainingPlan plan);
    void Step(StepStats stats);
    void EpochEnded(int epoch, double meanLoss, string checkpoint);
    /// <summary>A line for the person running this (resume notices, skipped files, …).</summary>
    void Info(string line);
}

/// <summary>The shape of the run about to start, and the method's named loss terms (the columns of every <see cref="StepStats"/>).</summary>
public sealed record TrainingPlan(int FirstEpoch, int Epochs, int StepsPerEpoch, long FirstStep, int BatchSize, string Device,
    string Method, IReadOnlyList<LossTerm>? Terms = null)
{
    public IReadOnlyList<LossTerm> LossTerms => Terms ?? Array.Empty<LossTerm>();
}

/// <summary>An observer that ignores everything.</summary>
public sealed class NullObserver : ITrainingObserver
{
    public static readonly NullObserver Instance = new();
    public void Started(TrainingPlan plan) { }
    public void Step(StepStats stats) { }
    public void EpochEnded(int epoch, double meanLoss, string checkpoint) { }
    public void Info(string line) { }
}
