using Vicreg.Training.Config;

namespace Vicreg.Tests.Training.Methods;

/// <summary>Training hashes computed by the code before the method catalog (commit e9bed9f): checkpoints and
/// feature caches of earlier runs must still match their configs.</summary>
public class MethodHashCompatibilityTests
{
    [Theory]
    [InlineData("", "81bd7cfe256ea599")]
    [InlineData("method.name=vicreg", "81bd7cfe256ea599")]
    [InlineData("method.name=simclr|method.temperature=0.2", "8d01fb961912f9e3")]
    [InlineData("method.name=barlow-twins", "aed25752c8f2e0e7")]
    [InlineData("method.name=byol|model.branch_a.predictor=64-32|method.tau=0.996|method.var_coeff=1", "029c875e0e9833eb")]
    [InlineData("method.name=simsiam|method.var_coeff=1|method.cov_coeff=0.01", "0860e6e6904f8c21")]
    public void TrainingHashesOfEarlierConfigsAreUnchanged(string sets, string expected)
    {
        var overrides = new[] { "data.kind=synthetic-images", "model.branch_a.encoder=resnet18", "model.branch_a.expander=64-32" }
            .Concat(sets.Split('|', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(expected, ConfigHash.OfTraining(ConfigLoader.Parse("{}", "h.json", overrides)));
    }
}
