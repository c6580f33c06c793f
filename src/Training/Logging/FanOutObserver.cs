using Vicreg.Training.Runs;

namespace Vicreg.Training.Logging;

/// <summary>Several observers as one; <see cref="Info"/> goes to the first only (the person's console).</summary>
public sealed class FanOutObserver(params ITrainingObserver[] observers) : ITrainingObserver
{
    public void Started(TrainingPlan plan) { foreach (var o in observers) o.Started(plan); }
    public void Step(StepStats stats) { foreach (var o in observers) o.Step(stats); }
    public void EpochEnded(int epoch, double meanLoss, string checkpoint) { foreach (var o in observers) o.EpochEnded(epoch, meanLoss, checkpoint); }
    public void Info(string line) { if (observers.Length > 0) observers[0].Info(line); }
}
