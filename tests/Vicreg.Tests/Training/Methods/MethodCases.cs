using Vicreg.Training.Methods;

namespace Vicreg.Tests.Training.Methods;

/// <summary>Test cases drawn from <see cref="MethodCatalog"/>, so that a method added to it is tested without editing a list.</summary>
internal static class MethodCases
{
    /// <summary>The names of the entries <paramref name="pick"/> selects, as theory data.</summary>
    public static IEnumerable<object[]> Where(Func<MethodEntry, bool> pick) =>
        MethodCatalog.All.Where(pick).Select(e => new object[] { e.Name });

    /// <summary>The settings a tiny run of <paramref name="name"/> needs: the method, a predictor ending in
    /// <paramref name="embeddingWidth"/> where its entry trains one, and the added variance/covariance terms where it
    /// takes them and <paramref name="addedTerms"/> is set.</summary>
    public static string[] Settings(string name, int embeddingWidth, bool addedTerms = false)
    {
        var entry = MethodCatalog.Get(name);
        var sets = new List<string> { $"method.name={name}" };
        if (entry.Capabilities.Predictor != PredictorUse.None) sets.Add($"model.branch_a.predictor=16-{embeddingWidth}");
        if (addedTerms && entry.DefaultOptions is WithAddedTermsOptions) sets.AddRange(new[] { "method.var_coeff=1", "method.cov_coeff=0.01" });
        return sets.ToArray();
    }
}
