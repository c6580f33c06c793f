using Vicreg.Losses;
using Vicreg.Training.Config;
using static TorchSharp.torch;

namespace Vicreg.Training.Methods;

/// <summary>VICReg's `method` section has no fields of its own: its coefficients are the experiment's `loss`
/// section, as before methods were configurable (so earlier configs keep their meaning and hash).</summary>
public sealed record VicRegMethodOptions : MethodOptions;

/// <summary>VICReg: the invariance, variance and covariance terms of <see cref="VicRegLoss"/>.</summary>
public sealed class VicRegMethod : IPairwiseMethod
{
    public static readonly MethodEntry Entry = MethodEntry.Of<VicRegMethodOptions, VicRegMethod>(
        "vicreg", "VICReg: invariance + variance + covariance (coefficients in `loss`)", new MethodCapabilities(LocalViews: LocalViewUse.Paired),
        (_, c) => new VicRegMethod(c.Loss.ToOptions()));

    private readonly VicRegLoss loss;

    public VicRegMethod(VicRegOptions? options = null)
    {
        loss = new VicRegLoss(options);
        var o = loss.Options;
        Terms = new[] { new LossTerm("invariance", o.Sim, "inv"), new LossTerm("variance", o.Std, "var"), new LossTerm("covariance", o.Cov, "cov") };
    }

    public string Name => "vicreg";
    public IReadOnlyList<LossTerm> Terms { get; }

    public LossTerms Compute(Tensor embeddingA, Tensor embeddingB) => loss.Compute(embeddingA, embeddingB);
}
