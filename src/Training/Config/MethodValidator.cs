using Vicreg.Encoders;
using Vicreg.Training.Methods;

namespace Vicreg.Training.Config;

/// <summary>Checks the `method` section against the experiment: the entry's own option checks, then what its
/// <see cref="MethodCapabilities"/> say it needs. Settings that cannot work are refused with the field that
/// makes them impossible, before anything is built.</summary>
public static class MethodValidator
{
    public static void Validate(ExperimentConfig c, Action<bool, string, string> require)
    {
        var entry = c.Method.Entry;
        var can = entry.Capabilities;
        string name = entry.Name;
        entry.Validate(c.Method.Options, MethodContext.Of(c), require);

        var branches = new[] { (c.Model.BranchA, "model.branch_a"), (c.Model.BranchB, "model.branch_b") };
        foreach (var (branch, field) in branches)
        {
            if (branch?.Predictor is null) continue;
            if (can.Predictor == PredictorUse.None)
            {
                var users = MethodCatalog.All.Where(e => e.Capabilities.Predictor != PredictorUse.None).Select(e => e.Name);
                require(false, $"{field}.predictor", $"is only used by {string.Join(" and ", users)}; method {name} would leave it untrained");
            }
            IReadOnlyList<int> dims;
            try { dims = Expander.Parse(branch.Predictor); }
            catch (ArgumentException e) { require(false, $"{field}.predictor", e.Message); continue; }
            int width = Expander.Parse(branch.Expander)[^1];
            require(dims[^1] == width, $"{field}.predictor",
                $"must end in the embedding width {width} (the last width of {field}.expander), since its output is compared with embeddings; got \"{branch.Predictor}\"");
        }

        // The stop-gradient target is the online branch itself or its moving average: with two different
        // branches there is nothing for one view's target to mirror.
        if (!can.UnsharedBranches)
            require(c.Model.Shared, "model.shared",
                $"method {name} needs shared weights (model.shared = true): the target must mirror the online branch, so unshared or different branches cannot work (the paper's Table 5 has no {name} entry for them)");
        if (can.Predictor == PredictorUse.Required)
            require(c.Model.BranchA.Predictor is not null, "model.branch_a.predictor",
                $"method {name} needs a predictor on the online branch, e.g. \"4096-256\" ending in the embedding width");
        if (LocalCropsField(c) is { } locals)
        {
            if (can.LocalViews == LocalViewUse.None)
            {
                var users = MethodCatalog.All.Where(e => e.Capabilities.LocalViews != LocalViewUse.None).Select(e => e.Name);
                require(false, locals, $"method {name} does not use local views (multi-crop); remove local_crops, or use {string.Join(", ", users)}");
            }
            require(c.Parallel.Devices.Count <= 1, "parallel.devices", $"multi-crop ({locals}) runs on one device: the data-parallel replicas take two views; use one device");
        }
        if (!can.DataParallel)
            require(c.Parallel.Devices.Count <= 1, "parallel.devices",
                $"method {name} does not work with data parallelism yet (the replicas compute only the two embeddings, and its loss needs more of the model); use one device");
    }

    /// <summary>The first view field that asks for local views (its modality says which, e.g.
    /// "model.branch_a.view.local_crops"), or null when no branch does.</summary>
    public static string? LocalCropsField(ExperimentConfig c)
    {
        foreach (var side in new[] { Sources.BranchSide.A, Sources.BranchSide.B })
        {
            var branch = Sources.ModalityCatalog.ContextFor(c, side);
            if (side == Sources.BranchSide.B && c.Model.BranchB is null) continue;
            if (branch.Branch.View is not { } view || !Vicreg.Encoders.EncoderCatalog.Contains(branch.Branch.Encoder)
                || !Sources.ModalityCatalog.TryGet(Sources.ModalityCatalog.Of(branch.Branch), out var entry)) continue;
            if (entry.LocalViewsField(view) is { } field) return $"{branch.Field}.view.{field}";
        }
        return null;
    }
}
