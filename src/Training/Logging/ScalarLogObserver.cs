using Vicreg.Training.Runs;

namespace Vicreg.Training.Logging;

/// <summary>Sends every step's loss and the method's own terms (loss/&lt;term&gt;), lr and throughput to a scalar log (TensorBoard).</summary>
public sealed class ScalarLogObserver(IScalarLog log) : ITrainingObserver
{
    public void Started(TrainingPlan plan) { }

    public void Step(StepStats s)
    {
        log.Scalar("loss/total", s.Loss, s.Step);
        foreach (var (name, value) in s.Terms) log.Scalar($"loss/{name}", value, s.Step);
        log.Scalar("train/lr", s.Lr, s.Step);
        log.Scalar("train/samples_per_s", s.SamplesPerSecond, s.Step);
    }

    public void EpochEnded(int epoch, double meanLoss, string checkpoint) { }
    public void Info(string line) { }
}
