using Vicreg.Losses;
using TorchSharp;
using Vicreg.Core;
using Vicreg.Encoders;
using Vicreg.Training;
using Vicreg.Training.Config;
using Vicreg.Training.Methods;
using Vicreg.Training.Model;
using Vicreg.Training.Optim;
using Vicreg.Data;
using Vicreg.Training.Runs;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training;

public class TrainerGuardTests
{
    /// <summary>A finite loss (0) whose gradient is not: d/dx √|x| at 0.</summary>
    private sealed class InfiniteGradient : IPairwiseMethod
    {
        public string Name => "broken";
        public LossTerms Compute(Tensor a, Tensor b) => new(a.Minus(a.detach()).abs().sqrt().sum());
    }

    /// <summary>A loss whose second named term is NaN.</summary>
    private sealed class NaNTerm : IPairwiseMethod
    {
        public string Name => "nan-term";
        public IReadOnlyList<LossTerm> Terms => new[] { new LossTerm("fine"), new LossTerm("broken") };
        public LossTerms Compute(Tensor a, Tensor b)
        {
            var fine = a.Minus(b).Squared().mean();
            var broken = fine.Times(double.NaN);
            return new LossTerms(fine.Plus(broken), ("fine", fine), ("broken", broken));
        }
    }

    private static long Fit(IMethod method, string runDir)
    {
        manual_seed(0);
        var model = ModelFactory.Build(new ModelConfig { BranchA = new BranchConfig { Encoder = "resnet18", Expander = "8-8", BaseWidth = 8 } });
        var parts = new TrainerParts(model, method, new Lars(model.parameters()), new LrSchedule(0.2, 4, 1, 0, 2), CPU, new RunFolder(runDir), 0, "test");
        return new Trainer(parts).Fit(new RandomViews(2));
    }

    [Fact]
    public void ANonFiniteGradientStopsTrainingAndNamesTheParameter()
    {
        using var temp = new TempDir();
        var ex = Assert.Throws<TrainingDivergedException>(() => Fit(new InfiniteGradient(), temp.Path));
        Assert.Equal(0, ex.Step);
        Assert.Contains("the gradient of a.backbone.conv1.weight", ex.Message); // the first parameter, in order
        Assert.Empty(Checkpoints.Complete(new RunFolder(temp.Path))); // nothing bad was saved
    }

    [Fact]
    public void ANonFiniteLossStopsTrainingAndNamesTheTerm()
    {
        using var temp = new TempDir();
        var ex = Assert.Throws<TrainingDivergedException>(() => Fit(new NaNTerm(), temp.Path));
        Assert.Equal(0, ex.Step);
        Assert.Equal("broken", ex.Term);
        Assert.Empty(Checkpoints.Complete(new RunFolder(temp.Path)));
        // The batch is named: its first files in the message, all of them beside stats.csv.
        var list = Path.Combine(temp.Path, "diverged-batch.txt");
        Assert.Contains("on a batch of 4 (img0.png, img1.png, img2.png and 1 more; all listed in " + list + ")", ex.Message);
        Assert.Equal(new[] { "img0.png", "img1.png", "img2.png", "img3.png" }, File.ReadAllLines(list));
    }

    [Fact]
    public void AnyViewSourceTrains()
    {
        using var temp = new TempDir();
        Assert.Equal(2, Fit(new VicRegMethod(), temp.Path));
    }

    [Fact]
    public void UnstableCoefficientsFromThePaperAreWarnedAbout()
    {
        ExperimentConfig With(double sim, double std, double cov) => new() { Loss = new LossConfig { Sim = sim, Std = std, Cov = cov } };
        Assert.Empty(ConfigValidator.Warnings(With(25, 25, 1)));
        Assert.Contains(ConfigValidator.Warnings(With(10, 1, 1)), w => w.Contains("λ = μ"));
        Assert.Contains(ConfigValidator.Warnings(With(1, 1, 10)), w => w.Contains("ν > μ"));
    }
}
