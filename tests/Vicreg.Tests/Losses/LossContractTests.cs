using System.Reflection;
using Vicreg.Losses;
using Vicreg.Training.Methods;
using static TorchSharp.torch;

namespace Vicreg.Tests.Losses;

/// <summary>One loss contract: every loss's Compute, and every method's loss, returns <see cref="LossTerms"/>.</summary>
public class LossContractTests
{
    [Fact]
    public void Every_loss_computes_LossTerms()
    {
        var computes = typeof(LossTerms).Assembly.GetExportedTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => m.Name == "Compute").ToList();
        Assert.Equal(new[] { "BarlowTwinsLoss", "ByolLoss", "NtXentLoss", "SimSiamLoss", "SwavLoss", "VarianceCovarianceLoss", "VicRegLoss" },
            computes.Select(m => m.DeclaringType!.Name).Distinct().Order(StringComparer.Ordinal));
        Assert.All(computes, m => Assert.True(m.ReturnType == typeof(LossTerms), $"{m.DeclaringType!.Name}.Compute returns {m.ReturnType.Name}"));
    }

    [Fact]
    public void The_added_terms_follow_the_methods_own_and_add_their_weighted_sum()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var (za, zb) = (randn(16, 8), randn(16, 8));
        using var own = new NtXentLoss().Compute(za, zb);
        double ownTotal = own.Total.item<float>();
        using var added = new VarianceCovarianceLoss(mu: 2, nu: 0.5).Compute(za, zb);
        double variance = added.Term("variance")!.item<float>(), covariance = added.Term("covariance")!.item<float>();
        var combined = new AddedTerms(2, 0.5).With(own, za, zb).Values();
        Assert.Equal(new[] { "nt_xent", "variance", "covariance" }, combined.Terms.Select(t => t.Name));
        Assert.Equal(ownTotal + 2 * variance + 0.5 * covariance, combined.Total, 5);
        Assert.Equal(added.Total.item<float>(), 2 * variance + 0.5 * covariance, 5);
    }
}
