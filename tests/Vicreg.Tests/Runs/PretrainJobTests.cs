using Vicreg.Runs;
using Vicreg.Training.Runs;

namespace Vicreg.Tests.Runs;

/// <summary>One call runs an experiment file, as a library user makes it: pretraining, then the evaluations it asks for.</summary>
public class PretrainJobTests
{
    [Fact]
    public void An_experiment_file_runs_in_one_call_and_resumes_in_the_next()
    {
        using var dir = new TempDir();
        string root = dir.Path.Replace('\\', '/');
        string file = dir.Combine("experiment.json");
        File.WriteAllText(file, $$"""
            {
              "name": "one-call", "seed": 0, "device": "cpu",
              "data": { "kind": "synthetic-images", "image_size": 16, "workers": 1,
                        "synthetic": { "root": "{{root}}/data", "classes": 2, "train_per_class": 8, "val_per_class": 4, "size": 24 } },
              "model": { "branch_a": { "encoder": "resnet18", "stem": "small", "base_width": 4, "expander": "16-16" } },
              "optim": { "name": "adamw", "base_lr": 0.001, "batch_size": 8, "epochs": 1, "warmup_epochs": 0, "scale_lr_with_batch": false },
              "eval": { "linear_probe": true, "epochs": 2, "diagnostics": false },
              "output": { "runs_dir": "{{root}}/runs", "tensorboard": false, "plots": false }
            }
            """);

        var outcome = PretrainJob.Run(file, overrides: new[] { "optim.epochs=2" });

        Assert.Equal((4L, 4L), (outcome.StepsTaken, outcome.TotalSteps)); // 16 images, batch 8, 2 epochs (the override)
        Assert.Equal(4, StatsLog.Read(outcome.Run.StatsPath).Count);
        var probe = Assert.Single(outcome.Probes);
        Assert.Equal(("pretrained-step4", 16, 8), (probe.Backbone, probe.Train, probe.Val));
        Accuracy.IsHitsOutOf(probe.Top1, probe.Val, probe.Backbone);
        Assert.Equal(0, PretrainJob.Run(file, overrides: new[] { "optim.epochs=2" }).StepsTaken); // finished: nothing left to train
    }
}
