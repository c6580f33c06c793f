using Vicreg.Encoders;
using Vicreg.Runs;
using Vicreg.Training;
using Vicreg.Training.Config;
using Vicreg.Training.Sources;

namespace Vicreg.Tests.Training.Sources.NewModality;

/// <summary>
/// A modality the library does not know, added from this assembly alone: accelerometer recordings with their own view
/// options, a dataset kind with options of its own that pairs them with pictures, and an encoder. Branch A takes the
/// pictures, branch B the recordings; the pairing trains a few steps and is probed.
/// </summary>
public class NewModalityTests
{
    static NewModalityTests()
    {
        ModalityCatalog.Register(AccelModality.Entry);
        DatasetCatalog.Register(AccelPairsKind.Entry);
        EncoderCatalog.Register(AccelNet.Entry);
    }

    private static string[] Settings(string root, params string[] more) => new[]
    {
        "name=accel", "device=cpu", "seed=5",
        $"data.kind={AccelPairsKind.Name}", $"data.{AccelPairsKind.Section}.root={Path.Combine(root, "data").Replace('\\', '/')}",
        $"data.{AccelPairsKind.Section}.classes=3", $"data.{AccelPairsKind.Section}.train_per_class=16", $"data.{AccelPairsKind.Section}.val_per_class=8",
        "data.image_size=16", "data.workers=2", "data.cache_decoded=true",
        "model.shared=false",
        "model.branch_a.encoder=resnet18", "model.branch_a.base_width=8", "model.branch_a.stem=small", "model.branch_a.expander=32-32",
        $"model.branch_b.encoder={AccelNet.Name}", "model.branch_b.base_width=8", "model.branch_b.expander=32-32",
        "model.branch_b.view={\"window\": 40, \"jitter\": 0.1}",
        "optim.name=adamw", "optim.base_lr=0.002", "optim.scale_lr_with_batch=false", "optim.batch_size=12", "optim.epochs=2", "optim.warmup_epochs=0",
        "eval.linear_probe=true", "eval.epochs=60", "eval.lr=0.05", "eval.diagnostics=false",
        "output.tensorboard=false", "output.plots=false", $"output.runs_dir={Path.Combine(root, "runs").Replace('\\', '/')}",
    }.Concat(more).ToArray();

    private static ConfigException Refused(params string[] more) =>
        Assert.Throws<ConfigException>(() => ConfigLoader.Parse("{}", "accel.json", Settings("unused", more), overridesSource: "accel.json"));

    [Fact]
    public void Its_view_options_and_its_kinds_options_are_read_into_its_own_records()
    {
        var c = ConfigLoader.Parse("{}", "accel.json", Settings("unused"));
        var view = Assert.IsType<AccelViewOptions>(c.Model.BranchB!.View);
        Assert.Equal((40, 0.1, 0.2), (view.Window, view.Jitter, view.MaxGain));
        Assert.Null(c.Model.BranchA.View);
        var set = Assert.IsType<AccelPairsOptions>(c.Data.Options);
        Assert.Equal((3, 16, 8, 96), (set.Classes, set.TrainPerClass, set.ValPerClass, set.Length));
        // Written back where they were read, and read again the same.
        var again = ConfigLoader.Parse(ConfigLoader.Serialize(c), "config.json");
        Assert.Equal(view, again.Model.BranchB!.View);
        Assert.Equal(set, again.Data.Options);
    }

    [Fact]
    public void Its_fields_are_checked_in_the_configs_words()
    {
        Assert.Equal("accel.json: model.branch_b.view.windw: unknown field; did you mean window?",
            Refused("model.branch_b.view={\"windw\": 40}").Message);
        Assert.Equal("accel.json: model.branch_b.view.window: expected a number, got the string \"long\"",
            Refused("model.branch_b.view={\"window\": \"long\"}").Message);
        Assert.Equal("accel.json: model.branch_b.view.max_gain: must be in [0, 1); got 1.5",
            Refused("model.branch_b.view={\"max_gain\": 1.5}").Message);
        // An image setting on the accel branch is named as another modality's.
        Assert.Equal("accel.json: model.branch_b.view.flip_p: is an image setting, but \"accel-cnn\" takes accelerometer recordings",
            Refused("model.branch_b.view={\"flip_p\": 0.5}").Message);
        Assert.Equal($"accel.json: data.{AccelPairsKind.Section}.clases: unknown field; did you mean classes?",
            Refused($"data.{AccelPairsKind.Section}.clases=4").Message);
        Assert.Equal($"accel.json: data.{AccelPairsKind.Section}.length: expected a whole number, got 9.5",
            Refused($"data.{AccelPairsKind.Section}.length=9.5").Message);
        Assert.Equal($"accel.json: data.{AccelPairsKind.Section}.classes: must be between 2 and 6; got 9",
            Refused($"data.{AccelPairsKind.Section}.classes=9").Message);
        // One set of weights cannot take pictures and recordings.
        Assert.Equal("model.shared", Refused("model.shared=true").Field);
    }

    [Fact]
    public void Pictures_paired_with_recordings_train_and_are_probed()
    {
        using var temp = new TempDir();
        var c = ConfigLoader.Parse("{}", "accel.json", Settings(temp.Path));
        var outcome = PretrainJob.Run(c, NullObserver.Instance);
        Assert.Equal(8, outcome.StepsTaken); // 48 pairs / batch 12 × 2 epochs

        var losses = File.ReadAllLines(outcome.Run.StatsPath).Skip(1).Select(l => double.Parse(l.Split(',')[3], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(8, losses.Length);
        Assert.All(losses, l => Assert.True(double.IsFinite(l)));

        // A probe of each branch (and of both), on the 24 held-out pairs; three activities, so chance is 1/3.
        var accel = Assert.Single(outcome.Probes, p => p.Backbone.Contains(AccelModality.Name, StringComparison.Ordinal));
        Assert.Equal((48, 24), (accel.Train, accel.Val));
        Console.WriteLine($"linear probe top-1 (%): {string.Join(", ", outcome.Probes.Select(p => $"{p.Backbone} {p.Top1:F1}"))}");
        Assert.True(accel.Top1 >= 60, $"the accel branch's probe reached {accel.Top1:F1}%, chance is 33%");
    }
}
