// Runs an experiment file with the packed Vicreg.* packages, the way any application would (see ../README.md):
// pretraining, then the evaluations the file asks for, in one call. Usage: dotnet run -- [epochs] (default 1: a few steps).
using Vicreg.Runs;
using Vicreg.Training;
using Vicreg.Training.Runs;

int epochs = args.Length > 0 ? int.Parse(args[0]) : 1;
string experiment = Path.Combine(AppContext.BaseDirectory, "experiment.json");

// The one call: the data is generated on first use (data.synthetic), the run folder is runs/sample, and a second
// run of the same file resumes from its newest checkpoint.
var outcome = PretrainJob.Run(experiment, new ConsoleLines(), new[] { $"optim.epochs={epochs}" });

var last = StatsLog.Read(outcome.Run.StatsPath).LastOrDefault();
var probe = outcome.Probes.FirstOrDefault();
Console.WriteLine($"sample: {outcome.StepsTaken} steps trained, last loss {last?.Loss:F4} (invariance {last?.Term("invariance"):F4}, " +
    $"variance {last?.Term("variance"):F4}, covariance {last?.Term("covariance"):F4}); linear probe top-1 {probe?.Top1:F1}%; run in {outcome.Run.Root}");

/// <summary>Prints the run's notices; progress is left out.</summary>
sealed class ConsoleLines : ITrainingObserver
{
    public void Started(TrainingPlan plan) { }
    public void Step(StepStats stats) { }
    public void EpochEnded(int epoch, double meanLoss, string checkpoint) { }
    public void Info(string line) => Console.WriteLine(line);
}
