using Vicreg.Losses;
using Vicreg.Encoders;
using Vicreg.Training.Config;
using Vicreg.Training.Execution;
using Vicreg.Training.Methods;
using Vicreg.Training.Model;
using Vicreg.Training.Precision;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training.Precision;

/// <summary>
/// Under bf16 only the network runs in bf16: every method's loss terms, added variance/covariance and SwAV's prototype
/// scores included, are computed in float32. The network here has small integer weights and integer views, so every
/// product and sum it makes is an integer below 256, exact in bf16: it gives the same float32 embeddings under both
/// policies, and any difference between an fp32 step and a bf16 step can only come from a matrix product (or another
/// reduced-precision op) inside the loss.
/// </summary>
public class LossPrecisionTests
{
    /// <summary>A view of 3×2×2 values flattened to 12 features: no arithmetic, so no rounding.</summary>
    private sealed class FlattenEncoder() : Encoder("flatten")
    {
        public override int OutputDim => 12;
        public override string InputForm => EncoderCatalog.Image;
        public override Tensor forward(Tensor view) => view.reshape(view.shape[0], -1);
    }

    public static IEnumerable<object[]> Methods() => MethodCatalog.Names.Select(n => new object[] { n });

    /// <summary>The method's default options, plus the added variance/covariance terms where it takes them.</summary>
    private static MethodOptions OptionsOf(MethodEntry entry) =>
        entry.DefaultOptions is WithAddedTermsOptions added ? added with { VarCoeff = 1, CovCoeff = 0.01 } : entry.DefaultOptions;

    private static JointEmbedding ExactNetwork(MethodEntry entry, MethodOptions options)
    {
        manual_seed(5);
        var predictor = entry.Capabilities.Predictor == PredictorUse.None ? null : "8";
        var branch = new Branch(new FlattenEncoder(), "8", "branch_a", predictor);
        using (no_grad())
            foreach (var p in branch.parameters()) p.copy_(randint(-1, 2, p.shape).to_type(p.dtype));
        var model = JointEmbedding.SharedBranch(branch);
        if (entry.Capabilities.MomentumTarget) model.AttachMomentumTarget(new Branch(new FlattenEncoder(), "8", "target"));
        foreach (var (name, module) in entry.CreateModules(options, 8)) model.AttachMethodModule(name, module);
        model.train();
        return model;
    }

    private static LossValues Step(string method, PrecisionPolicy precision)
    {
        using var scope = NewDisposeScope();
        var entry = MethodCatalog.Get(method);
        var options = OptionsOf(entry);
        using var model = ExactNetwork(entry, options);
        manual_seed(6);
        var a = randint(0, 2, new long[] { 8, 3, 2, 2 }).to_type(ScalarType.Float32);
        var b = randint(0, 2, new long[] { 8, 3, 2, 2 }).to_type(ScalarType.Float32);
        var executor = new SingleDeviceExecutor(model, entry.Create(options, MethodContext.Of(new ExperimentConfig())), CPU, precision);
        using var loss = executor.LossAndGradients(a, b);
        return loss.Values();
    }

    [Fact]
    public void TheExactNetworkGivesTheSameEmbeddingsUnderBothPolicies()
    {
        using var scope = NewDisposeScope();
        var entry = MethodCatalog.Get(MethodCatalog.Names[0]);
        using var model = ExactNetwork(entry, entry.DefaultOptions);
        var a = randint(0, 2, new long[] { 8, 3, 2, 2 }).to_type(ScalarType.Float32);
        var fp32 = model.call(a, a).EmbeddingA;
        Tensor bf16;
        using (PrecisionPolicy.Bf16.Forward(CPU))
            bf16 = model.call(PrecisionPolicy.Bf16.Input(a), PrecisionPolicy.Bf16.Input(a)).EmbeddingA;
        Assert.Equal(ScalarType.BFloat16, bf16.dtype);
        bf16 = PrecisionPolicy.ForLoss(bf16);
        Assert.True(fp32.equal(bf16).all().item<bool>(), "the integer network must be exact in bf16");
        Assert.True(fp32.abs().max().item<float>() > 0, "the embeddings are not all zero");
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void EveryLossTermIsComputedInFloat32UnderBf16(string method)
    {
        var fp32 = Step(method, PrecisionPolicy.Fp32);
        var bf16 = Step(method, PrecisionPolicy.Bf16);
        Assert.Equal(fp32.Terms.Select(t => t.Name), bf16.Terms.Select(t => t.Name));
        Assert.NotEmpty(fp32.Terms);
        foreach (var (name, expected, actual) in new[] { ("total", fp32.Total, bf16.Total) }
                     .Concat(fp32.Terms.Zip(bf16.Terms, (e, b) => (e.Name, e.Value, b.Value))))
        {
            Assert.True(double.IsFinite(expected), $"{method} {name}: {expected}");
            Assert.True(Math.Abs(actual - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected)),
                $"{method} {name}: fp32 step {expected:R}, bf16 step {actual:R}; part of the loss ran in a reduced dtype");
        }
    }
}
