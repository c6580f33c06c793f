using Vicreg.Tests.Training.Distributed;
using Vicreg.Tests.Training;
using Vicreg.Tests.Training.Methods;
using Vicreg.Runs;
using Vicreg.Training.Config;
using Vicreg.Training.Distributed;
using Vicreg.Training.Methods;
using Vicreg.Training.Sources;

namespace Vicreg.Tests.Runs;

/// <summary>What a launched rank refuses before it prepares anything, and what only rank 0 does (no MPI needed).</summary>
public class ProcessSetupTests
{
    private static ExperimentConfig Config(params string[] sets) =>
        ConfigLoader.Parse("{}", "ranks.json", new[] { "data.kind=synthetic-images", "optim.batch_size=8", "model.branch_a.expander=16-8" }.Concat(sets));

    [Fact]
    public void An_explicit_gpu_is_refused_for_several_ranks_with_one_line_naming_the_field()
    {
        var refusal = ProcessSetup.Refusal(Config("device=cuda:1"), 2);
        Assert.Equal("device: \"cuda:1\" puts all 2 ranks on one GPU; use \"cuda\" (each rank takes the GPU of its local rank)", refusal);
        Assert.Null(ProcessSetup.Refusal(Config("device=cuda"), 2));
        Assert.Null(ProcessSetup.Refusal(Config("device=cpu"), 2));
    }

    public static IEnumerable<object[]> OneProcessMethods() => MethodCases.Where(e => e.Capabilities.OneProcessOnly is not null);

    [Theory]
    [MemberData(nameof(OneProcessMethods))]
    public void A_method_that_runs_in_one_process_is_refused_up_front_with_its_own_reason(string method)
    {
        var c = Config(MethodCases.Settings(method, embeddingWidth: 8));
        var refusal = ProcessSetup.Refusal(c, 2);
        var why = c.Method.Entry.Capabilities.OneProcessOnly;
        Assert.NotNull(why);
        Assert.Equal($"method.name: method {method} {why}; run it in one process", refusal);
        if (c.Method.Entry.Capabilities.Predictor == PredictorUse.None) Assert.DoesNotContain("predictor", refusal); // its own reason, not another's
    }

    [Fact]
    public void The_refusals_ask_the_catalog_and_never_match_method_names()
    {
        foreach (var entry in MethodCatalog.All)
        {
            // A method whose loss needs more than the two embeddings cannot go through the multi-process executor: its entry says why.
            if (!entry.Pairwise) Assert.False(entry.Capabilities.MultiProcess, $"{entry.Name} needs more than two embeddings but declares no reason to stay in one process");
            var sets = entry.Capabilities.Predictor == PredictorUse.Required ? new[] { "model.branch_a.predictor=16-8" } : Array.Empty<string>();
            Assert.Equal(entry.Capabilities.MultiProcess, ProcessSetup.Refusal(Config(sets.Append($"method.name={entry.Name}").ToArray()), 2) is null);
        }
        string source = File.ReadAllText(RepoFiles.PathOf("src/Runs/ProcessSetup.cs"));
        Assert.All(MethodCatalog.Names, name => Assert.DoesNotContain($"\"{name}\"", source));
    }

    [Fact]
    public void A_rank_other_than_0_trains_but_leaves_retrieval_and_its_csv_to_rank_0()
    {
        using var tiny = new TinyExperiment();
        // Two image branches of their own: retrieval between them on the held-out images.
        var c = tiny.Config("rank1", "model.shared=false", "model.branch_b.encoder=resnet18", "model.branch_b.expander=32-32",
            "optim.epochs=1", "optim.warmup_epochs=0", "eval.retrieval=true", "eval.diagnostics=false", "output.tensorboard=false", "output.plots=false");
        DatasetCatalog.Prepare(new DataRequest(c.Data, c.Seed, _ => { })); // rank 0's part: the generated images exist

        var outcome = PretrainJob.Run(c, Vicreg.Training.NullObserver.Instance, new SelfPeers(rank: 1, world: 2));

        Assert.Equal(4, outcome.StepsTaken); // its half of each of the 4 global batches of 8
        Assert.Null(outcome.Retrieval);
        Assert.False(File.Exists(Path.Combine(outcome.Run.EvalDir, "retrieval.csv")), "rank 1 wrote eval/retrieval.csv");
    }
}
