using Vicreg.Tests.Training;
using System.Security.Cryptography;
using Vicreg.Training;
using Vicreg.Training.Config;
using Vicreg.Runs;
using Vicreg.Training.Runs;

namespace Vicreg.Tests.Runs;

/// <summary>A start never changes a run that exists unless it goes on with the same training: a failed start leaves a
/// finished run's folder byte-identical, a start with another training config is refused naming the fields, and a
/// failed start leaves no folder of its own behind.</summary>
public class RunStartTests
{
    private sealed class Quiet : ITrainingObserver
    {
        public readonly List<string> Lines = new();
        public void Info(string line) { lock (Lines) Lines.Add(line); }
        public void Started(TrainingPlan plan) { }
        public void Step(StepStats stats) { }
        public void EpochEnded(int epoch, double meanLoss, string checkpoint) { }
    }

    private static readonly string[] Small =
    {
        "data.synthetic.train_per_class=4", "data.synthetic.val_per_class=2", "model.branch_a.base_width=4", "model.branch_a.expander=8-8",
        "optim.batch_size=4", "optim.epochs=1", "optim.warmup_epochs=0", "eval.diagnostics=false", "eval.linear_probe=false",
        "output.tensorboard=false", "output.plots=false",
    };

    /// <summary>Every file under the folder with its SHA-256, by relative path.</summary>
    private static SortedDictionary<string, string> Hashes(string folder) => new(
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(
            f => Path.GetRelativePath(folder, f),
            f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))), StringComparer.Ordinal);

    [Fact]
    public void AFailedStartLeavesAFinishedRunByteIdentical()
    {
        using var tiny = new TinyExperiment();
        PretrainJob.Run(tiny.Config("done", Small), new Quiet());
        string root = Path.Combine(tiny.Root, "runs", "done");
        var before = Hashes(root);
        Assert.Contains("config.json", before.Keys);

        // The same name, a mistyped training folder: refused, and the finished run is untouched.
        var typo = tiny.Config("done", Small.Concat(new[] { "data.kind=image-folder", $"data.train={tiny.Root}/trian" }).ToArray());
        Assert.ThrowsAny<Exception>(() => PretrainJob.Run(typo, new Quiet()));
        Assert.Equal(before, Hashes(root));
        // The run's own config still loads and names the right data.
        Assert.Equal("synthetic-images", ConfigLoader.LoadFile(Path.Combine(root, "config.json")).Data.Kind);
    }

    [Fact]
    public void AStartWithAnotherTrainingConfigIsRefusedNamingTheFieldsAndChangesNothing()
    {
        using var tiny = new TinyExperiment();
        PretrainJob.Run(tiny.Config("done", Small), new Quiet());
        string root = Path.Combine(tiny.Root, "runs", "done");
        var before = Hashes(root);

        var changed = tiny.Config("done", Small.Append("optim.base_lr=0.2").ToArray());
        var e = Assert.Throws<ArgumentException>(() => PretrainJob.Run(changed, new Quiet()));
        Assert.Contains("optim.base_lr: 0.3 → 0.2", e.Message);
        Assert.Contains("another name", e.Message);
        Assert.Equal(before, Hashes(root));

        // Evaluation settings do not make another run: the same training resumes (here: is already finished).
        var evalOnly = tiny.Config("done", Small.Append("eval.knn_k=5").ToArray());
        var outcome = PretrainJob.Run(evalOnly, new Quiet());
        Assert.Equal(0, outcome.StepsTaken);
    }

    [Fact]
    public void AFailedStartUnderANewNameLeavesNoFolder()
    {
        using var tiny = new TinyExperiment();
        var typo = tiny.Config("fresh", Small.Concat(new[] { "data.kind=image-folder", $"data.train={tiny.Root}/trian" }).ToArray());
        Assert.ThrowsAny<Exception>(() => PretrainJob.Run(typo, new Quiet()));
        Assert.False(Directory.Exists(Path.Combine(tiny.Root, "runs", "fresh")), "the failed start left runs/fresh behind");
    }
}
