using System.Text.RegularExpressions;
using Vicreg.Core;
using Vicreg.Training;
using Vicreg.Training.Config;
using Vicreg.Training.Methods;
using Vicreg.Training.Model;
using Vicreg.Training.Optim;
using Vicreg.Data;
using Vicreg.Training.Runs;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training;

/// <summary>
/// A training step reads from the device once: the logged loss values together with one device-side flag for
/// the loss's and every gradient's finiteness. Counted at run time through <see cref="HostReads"/>, the one
/// read-back helper, and checked in the source: no other code on the step's path (losses, methods, model,
/// encoders, optimizers, executors, trainer) reads tensors to the host, except on a failure path.
/// </summary>
public class HostSyncTests
{
    /// <summary>Host reads of this thread at each step's end.</summary>
    private sealed class ReadCounter : ITrainingObserver
    {
        public readonly List<long> AtStep = new();
        public void Started(TrainingPlan plan) { }
        public void Step(StepStats stats) => AtStep.Add(HostReads.OnThisThread);
        public void EpochEnded(int epoch, double meanLoss, string checkpoint) { }
        public void Info(string line) { }
    }

    /// <summary>Every method of the catalog with each optimizer, a predictor where its entry trains one and the added terms where it takes them.</summary>
    public static IEnumerable<object[]> EveryMethodWithEachOptimizer() =>
        MethodCatalog.All.SelectMany(e => new[] { "lars", "adamw" }.Select(o => new object[] { e.Name, o, Vicreg.Tests.Training.Methods.MethodCases.Settings(e.Name, embeddingWidth: 8, addedTerms: true) }));

    [Theory]
    [MemberData(nameof(EveryMethodWithEachOptimizer))]
    // SwAV's queue of earlier embeddings, filled from the first epoch on.
    [InlineData("swav", "lars", new[] { "method.prototypes=4", "optim.batch_size=4", "method.queue_length=8", "method.queue_start_epoch=0" })]
    public void EachStepReadsFromTheDeviceOnce(string method, string optimizer, string[] sets)
    {
        using var temp = new TempDir();
        var c = ConfigLoader.Parse("{}", "sync.json", new[] { "data.kind=synthetic-images", $"method.name={method}", $"optim.name={optimizer}",
            "model.branch_a.encoder=resnet18", "model.branch_a.base_width=8", "model.branch_a.expander=16-8" }.Concat(sets));
        manual_seed(0);
        using var model = ModelFactory.Build(c.Model, c.Method);
        using var optim = Vicreg.Runs.OptimizerSetup.Create(c.Optim, model);
        var parts = new TrainerParts(model, MethodCatalog.Create(c), optim, new LrSchedule(0.01, 4, 2, 0, 3), CPU, new RunFolder(temp.Path), 0, "sync");
        var counter = new ReadCounter();
        long before = HostReads.OnThisThread;
        Assert.Equal(6, new Trainer(parts, counter).Fit(new RandomViews(3)));
        var perStep = counter.AtStep.Prepend(before).Zip(counter.AtStep, (a, b) => b - a).ToArray();
        Assert.Equal(Enumerable.Repeat(1L, 6), perStep);
    }

    static readonly string[] StepPathFolders = { "Losses", "Encoders", "Core", "Methods", "Optim", "Execution", "DataParallel", "Distributed", "Model", "Precision" };
    static readonly string[] StepPathFiles = { "Trainer.cs", "StepGuard.cs" };

    /// <summary>Calls that copy a tensor to the host (each a synchronisation on a GPU), or that sync to size their output.</summary>
    static readonly Regex HostRead = new(@"\.item<|\.data<|\.ToSingle\(|\.ToDouble\(|\.ToInt32\(|\.ToInt64\(|\.ToBoolean\(|\.cpu\(\)|\.nonzero\(|\.masked_select\(|\.unique\(|\.tolist\(");

    [Fact]
    public void NothingOnTheStepsPathReadsTheDeviceButTheReadBackHelper()
    {
        var src = RepoFiles.PathOf("src");
        var files = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Where(f => StepPathFiles.Contains(Path.GetFileName(f))
                        || Path.GetRelativePath(src, f).Split(Path.DirectorySeparatorChar).SkipLast(1).Any(StepPathFolders.Contains))
            .ToList();
        // The scan must not become vacuous when files move.
        foreach (var expected in new[] { "Lars.cs", "AdamWOptimizer.cs", "MomentumSgd.cs", "Trainer.cs", "StepGuard.cs", "VicRegLoss.cs",
                     "ByolMethod.cs", "SingleDeviceExecutor.cs", "DataParallelExecutor.cs", "DistributedExecutor.cs", "NcclCollectives.cs", "JointEmbedding.cs", "ResNet.cs", "HostReads.cs" })
            Assert.Contains(files, f => Path.GetFileName(f) == expected);

        var offenders = new List<string>();
        foreach (var file in files.Where(f => Path.GetFileName(f) != "HostReads.cs"))
        {
            var lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
                if (HostRead.IsMatch(lines[i]) && !lines[i].Contains("// host read:", StringComparison.Ordinal) && !lines[i].TrimStart().StartsWith("//", StringComparison.Ordinal))
                    offenders.Add($"{Path.GetRelativePath(src, file)}:{i + 1}: {lines[i].Trim()}");
        }
        Assert.True(offenders.Count == 0, "host reads outside HostReads (mark a failure-path read with \"// host read: why\"):\n" + string.Join("\n", offenders));
    }
}
