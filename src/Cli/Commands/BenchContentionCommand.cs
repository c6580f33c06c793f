using System.CommandLine;
using Vicreg.Core;
using Vicreg.Tooling.Bench;
using Vicreg.Training.Config;

namespace Vicreg.Cli.Commands;

/// <summary>vicreg bench contention: two short trainings at once against one alone (separate processes), and the ratio.</summary>
internal static class BenchContentionCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config", "-c") { Description = "Experiment to train (default: the embedded quickstart)" };
        var epochs = new Option<int>("--epochs") { Description = "Epochs per training", DefaultValueFactory = _ => 2 };
        var set = new Option<string[]>("--set") { Description = "Override a config field of the trainings (repeatable)", AllowMultipleArgumentsPerToken = true };
        var policy = new Option<string?>("--wait-policy") { Description = "OMP_WAIT_POLICY of the trainings: passive (the default each run sets) or active (libgomp spinning, for comparison)" };
        var runs = new Option<DirectoryInfo?>("--runs-dir") { Description = "Where the trainings write (default: a temporary folder, deleted after)" };
        var command = new Command("contention", "Two trainings at once against one alone, as processes: prints the wall-time ratio (goal ≤ 2.3×).")
            { config, epochs, set, policy, runs };
        command.SetAction(parse => Output.Guard(() =>
        {
            string? wait = parse.GetValue(policy)?.ToUpperInvariant();
            if (wait is not (null or "PASSIVE" or "ACTIVE")) throw new ArgumentException($"--wait-policy: passive or active; got \"{parse.GetValue(policy)}\"");
            var overrides = new List<string>(parse.GetValue(set) ?? Array.Empty<string>())
            {
                $"optim.epochs={parse.GetValue(epochs)}", "optim.warmup_epochs=0", "eval.linear_probe=false", "eval.knn_every=0",
                "eval.diagnostics=false", "output.tensorboard=false", "output.plots=false",
            };
            var file = parse.GetValue(config);
            var experiment = file is null
                ? ConfigLoader.Parse(EmbeddedExperiments.Read(EmbeddedExperiments.Quickstart), "quickstart.json (embedded)", overrides.ToArray())
                : ConfigLoader.LoadFile(file.FullName, overrides.ToArray());
            Vicreg.Training.Sources.DatasetCatalog.Prepare(new Vicreg.Training.Sources.DataRequest(experiment.Data, experiment.Seed, Console.WriteLine)); // generated data is made once, outside the timing

            var args = new List<string>();
            string self = Environment.ProcessPath ?? "dotnet";
            if (Path.GetFileNameWithoutExtension(self) == "dotnet") args.Add(typeof(BenchContentionCommand).Assembly.Location);
            args.Add("pretrain");
            if (file is not null) args.AddRange(new[] { "--config", file.FullName });
            foreach (var o in overrides) args.AddRange(new[] { "--set", o });
            var env = new Dictionary<string, string?> { [SharedMachine.WaitPolicyVariable] = wait ?? SharedMachine.WaitPolicy };

            string dir = parse.GetValue(runs)?.FullName ?? Path.Combine(Path.GetTempPath(), $"vicreg-contention-{Environment.ProcessId}");
            Console.WriteLine($"each training: {(file?.Name ?? "the quickstart")}, {parse.GetValue(epochs)} epochs, OMP_WAIT_POLICY={env[SharedMachine.WaitPolicyVariable]}, " +
                              $"{TorchThreads.Resolve(experiment.Data.Workers, experiment.TorchThreads).Threads} libtorch threads and {experiment.Data.Workers} loader workers, {TorchThreads.Cores} cores");
            try { ContentionBenchmark.Run(new TrainingLauncher(self, args, env), dir, Console.WriteLine); }
            finally { if (parse.GetValue(runs) is null && Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
            return 0;
        }));
        return command;
    }
}
