using Vicreg.Encoders;

namespace Vicreg.Training.Config;

/// <summary>Checks the `method` section and the predictors against the model: settings that cannot work are
/// refused here with the field that makes them impossible, before anything is built.</summary>
public static class MethodValidator
{
    public static readonly string[] Names = { "vicreg", "barlow-twins", "simclr", "byol", "simsiam" };

    public static void Validate(ExperimentConfig c, Action<bool, string, string> require)
    {
        var m = c.Method;
        require(Names.Contains(m.Name), "method.name", $"must be one of {string.Join(", ", Names)}; got \"{m.Name}\"");
        require(m.Temperature > 0, "method.temperature", $"must be > 0; got {m.Temperature}");
        require(m.Tau is >= 0 and < 1, "method.tau", $"must be in [0, 1); got {m.Tau}");
        require(m.OffDiagonal >= 0, "method.off_diagonal", "must be ≥ 0");
        require(m.VarCoeff >= 0, "method.var_coeff", "must be ≥ 0");
        require(m.CovCoeff >= 0, "method.cov_coeff", "must be ≥ 0");

        foreach (var (branch, field) in new[] { (c.Model.BranchA, "model.branch_a"), (c.Model.BranchB, "model.branch_b") })
        {
            if (branch?.Predictor is null) continue;
            IReadOnlyList<int> dims;
            try { dims = Expander.Parse(branch.Predictor); }
            catch (ArgumentException e) { require(false, $"{field}.predictor", e.Message); continue; }
            int width = Expander.Parse(branch.Expander)[^1];
            require(dims[^1] == width, $"{field}.predictor",
                $"must end in the embedding width {width} (the last width of {field}.expander), since its output is compared with embeddings; got \"{branch.Predictor}\"");
        }

        if (m.Name is "byol" or "simsiam")
        {
            // The stop-gradient target is the online branch itself (SimSiam) or its moving average (BYOL):
            // with two different branches there is nothing for one view's target to mirror.
            require(c.Model.Shared, "model.shared",
                $"method {m.Name} needs shared weights (model.shared = true): the target must mirror the online branch, so unshared or different branches cannot work (the paper's Table 5 has no {m.Name} entry for them)");
        }
        if (m.Name == "byol")
            require(c.Model.BranchA.Predictor is not null, "model.branch_a.predictor",
                "method byol needs a predictor on the online branch, e.g. \"4096-256\" ending in the embedding width");
        if (m.Name is "vicreg" or "barlow-twins" or "simclr")
            foreach (var (branch, field) in new[] { (c.Model.BranchA, "model.branch_a"), (c.Model.BranchB, "model.branch_b") })
                require(branch?.Predictor is null, $"{field}.predictor", $"is only used by byol and simsiam; method {m.Name} would leave it untrained");
    }
}
