using Vicreg.Encoders;
using Vicreg.Training.Sources;

namespace Vicreg.Training.Config;

/// <summary>Range and consistency checks, run once at load. The first problem found is reported.</summary>
public static class ConfigValidator
{
    public static readonly string[] Optimizers = { "lars", "adamw" };

    public static void Validate(ExperimentConfig c, string source)
    {
        void Require(bool ok, string field, string problem)
        {
            if (!ok) throw new ConfigException(source, field, problem);
        }

        Require(!string.IsNullOrWhiteSpace(c.Name) && c.Name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0 && c.Name != "." && c.Name != "..",
            "name", $"must be a usable folder name; got \"{c.Name}\"");
        Require(Runs.DeviceResolver.IsValidName(c.Device), "device", $"must be auto, cpu, cuda or cuda:N; got \"{c.Device}\"");
        Require(c.TorchThreads >= 0, "torch_threads", $"must be ≥ 0 (0: sized against data.workers); got {c.TorchThreads}");
        Require(c.Precision is "fp32" or "bf16", "precision", $"must be fp32 or bf16; got \"{c.Precision}\"");
        for (int i = 0; i < c.Parallel.Devices.Count; i++)
            Require(c.Parallel.Devices[i] is not "auto" && Runs.DeviceResolver.IsValidName(c.Parallel.Devices[i]),
                $"parallel.devices[{i}]", $"must be cpu, cuda or cuda:N; got \"{c.Parallel.Devices[i]}\"");
        Require(c.Parallel.Devices.Count == 0 || c.Optim.BatchSize >= 2 * c.Parallel.Devices.Count,
            "parallel.devices", $"{c.Parallel.Devices.Count} replicas need optim.batch_size ≥ {2 * c.Parallel.Devices.Count}; got {c.Optim.BatchSize}");

        Require(DatasetCatalog.TryGet(c.Data.Kind, out var kind), "data.kind",
            $"must be one of {string.Join(", ", DatasetCatalog.Names)}; got \"{c.Data.Kind}\"");
        kind.Validate(c.Data, Require);
        Require(c.Data.Prefetch >= 1, "data.prefetch", $"must be ≥ 1; got {c.Data.Prefetch}");
        Require(c.Data.ImageSize >= 8, "data.image_size", $"must be ≥ 8; got {c.Data.ImageSize}");
        Require(c.Data.CropScaleMin is > 0 and <= 1, "data.crop_scale_min", $"must be in (0, 1]; got {c.Data.CropScaleMin}");
        Require(c.Data.Workers >= 1, "data.workers", $"must be ≥ 1; got {c.Data.Workers}");
        Require(c.Data.EmptyClasses is "refuse" or "ignore", "data.empty_classes", $"must be refuse or ignore; got \"{c.Data.EmptyClasses}\"");
        Require(c.Data.Image?.Background is null || Vicreg.Data.Transparency.ParseColour(c.Data.Image.Background) is not null, "data.image.background",
            $"must be a colour: white, black, gray or #RRGGBB; got \"{c.Data.Image?.Background}\"");
        Require(c.Data.TruncatedImages is "skip" or "accept", "data.truncated_images", $"must be skip or accept; got \"{c.Data.TruncatedImages}\"");
        Require(c.Data.Decode is "exact" or "fast", "data.decode", $"must be exact or fast; got \"{c.Data.Decode}\"");
        Require(c.Data.AugmentOn is "host" or "device", "data.augment_on", $"must be host or device; got \"{c.Data.AugmentOn}\"");

        ValidateBranch(c, kind, c.Model.BranchA, "model.branch_a", Require);
        RefuseSharingAcrossModalities(c, kind, Require);
        if (c.Model.BranchB is not null)
        {
            Require(!c.Model.Shared, "model.branch_b", "is given but model.shared is true; set shared to false for unshared branches, or remove branch_b");
            ValidateBranch(c, kind, c.Model.BranchB, "model.branch_b", Require);
            Require(Expander.Parse(c.Model.BranchB.Expander)[^1] == Expander.Parse(c.Model.BranchA.Expander)[^1],
                "model.branch_b.expander", "must end in the same width as model.branch_a.expander, since the loss compares the two embeddings");
        }

        MethodValidator.Validate(c, Require);

        Require(c.Loss.Sim >= 0, "loss.sim", "must be ≥ 0");
        Require(c.Loss.Std >= 0, "loss.std", "must be ≥ 0");
        Require(c.Loss.Cov >= 0, "loss.cov", "must be ≥ 0");
        Require(c.Loss.Gamma > 0, "loss.gamma", "must be > 0");
        Require(c.Loss.Eps > 0, "loss.eps", "must be > 0");

        Require(Optimizers.Contains(c.Optim.Name), "optim.name", $"must be one of {string.Join(", ", Optimizers)}; got \"{c.Optim.Name}\"");
        Require(c.Optim.BaseLr > 0, "optim.base_lr", $"must be > 0; got {c.Optim.BaseLr}");
        Require(c.Optim.WeightDecay >= 0, "optim.weight_decay", "must be ≥ 0");
        Require(c.Optim.Momentum is >= 0 and < 1, "optim.momentum", "must be in [0, 1)");
        Require(c.Optim.BatchSize >= 2, "optim.batch_size", $"must be ≥ 2 (the variance needs two rows); got {c.Optim.BatchSize}");
        Require(c.Optim.Epochs >= 1, "optim.epochs", "must be ≥ 1");
        // More warm-up epochs than epochs is clamped by the schedule, with a warning (see Warnings), not refused:
        // lowering optim.epochs for a short try should not require editing the warm-up too.
        Require(c.Optim.WarmupEpochs >= 0, "optim.warmup_epochs", $"must be ≥ 0; got {c.Optim.WarmupEpochs}");
        Require(c.Optim.EndLrRatio is >= 0 and <= 1, "optim.end_lr_ratio", "must be in [0, 1]");

        Require(c.Eval.Epochs >= 1, "eval.epochs", "must be ≥ 1");
        Require(c.Eval.Lr > 0, "eval.lr", "must be > 0");
        Require(c.Eval.BatchSize >= 1, "eval.batch_size", "must be ≥ 1");
        Require(c.Eval.DiagnosticsSamples >= 2, "eval.diagnostics_samples", "must be ≥ 2");
        Require(c.Eval.KnnEvery >= 0, "eval.knn_every", "must be ≥ 0 (0: off)");
        Require(c.Eval.KnnK >= 1, "eval.knn_k", "must be ≥ 1");
        Require(c.Eval.KnnTemperature > 0, "eval.knn_temperature", "must be > 0");
        Require(c.Eval.RetrievalEvery >= 0, "eval.retrieval_every", "must be ≥ 0 (0: off)");
        Require(!(c.Eval.Retrieval || c.Eval.RetrievalEvery > 0) || !c.Model.Shared, c.Eval.Retrieval ? "eval.retrieval" : "eval.retrieval_every",
            "needs unshared branches (model.shared false): a shared branch embeds the two sides of a sample alike");
        Require(c.Output.KeepCheckpoints >= 1, "output.keep_checkpoints", "must be ≥ 1");
        Require(c.Output.CheckpointEverySteps >= 0, "output.checkpoint_every_steps", "must be ≥ 0 (0: at epoch ends only)");
    }

    /// <summary>Settings that are allowed but that the paper found unstable (Table 7): λ ≠ μ or ν &gt; μ.</summary>
    public static IEnumerable<string> Warnings(ExperimentConfig c)
    {
        var l = c.Loss;
        if (l.Sim != l.Std)
            yield return $"warning: loss.sim ({l.Sim}) ≠ loss.std ({l.Std}); the paper found training unstable unless λ = μ (Table 7)";
        if (l.Cov > l.Std)
            yield return $"warning: loss.cov ({l.Cov}) > loss.std ({l.Std}); the paper found training unstable when ν > μ (Table 7)";
        var o = c.Optim;
        if (o.WarmupEpochs > o.Epochs)
            yield return $"warning: optim.warmup_epochs ({o.WarmupEpochs}) > optim.epochs ({o.Epochs}); the warm-up is clamped to {o.Epochs} epoch(s), so the " +
                $"learning rate only rises; for a short run set optim.warmup_epochs to about a tenth of optim.epochs (e.g. {Math.Max(0, o.Epochs / 10)})";
    }

    /// <summary>A branch's encoder, expander and widths; then that its modality (from the encoder's catalog entry) is
    /// one the data kind's samples carry, and the modality plug-in's checks of its settings.</summary>
    private static void ValidateBranch(ExperimentConfig c, DatasetKind kind, BranchConfig b, string field, Action<bool, string, string> require)
    {
        require(EncoderCatalog.Contains(b.Encoder), $"{field}.encoder",
            $"unknown encoder \"{b.Encoder}\"" + (NearestName.Of(b.Encoder, EncoderCatalog.Names) is { } near
                ? $"; did you mean {near}?" : $"; known: {string.Join(", ", EncoderCatalog.Names)}"));
        try { Expander.Parse(b.Expander); }
        catch (ArgumentException e) { require(false, $"{field}.expander", e.Message); }
        require(b.InChannels >= 1, $"{field}.in_channels", "must be ≥ 1");
        require(b.BaseWidth is null or >= 1, $"{field}.base_width", "must be ≥ 1");
        string modality = ModalityCatalog.Of(b);
        require(ModalityCatalog.TryGet(modality, out _), $"{field}.encoder",
            $"\"{b.Encoder}\" takes {modality}, which no registered modality reads (known: {string.Join(", ", ModalityCatalog.Names)})");
        require(kind.Modalities.Contains(modality), $"{field}.encoder",
            $"\"{b.Encoder}\" takes {Noun(modality)}, but data.kind \"{kind.Name}\" gives {string.Join(" and ", kind.Modalities.Select(Noun))}; " +
            $"choose an encoder that takes {string.Join(" or ", kind.Modalities.Select(Noun))} (e.g. {Example(kind.Modalities[0])})");
        var entry = ModalityCatalog.Get(modality);
        var branch = new BranchContext(field == "model.branch_a" ? BranchSide.A : BranchSide.B, field, b, c.Data, c.Seed);
        entry.Validate(ModalityCatalog.ViewOf(entry, b), branch, require);
    }

    /// <summary>One set of weights cannot take two modalities: shared is refused when the two branches take
    /// different ones, and for data whose samples carry several (a frame and its sound).</summary>
    private static void RefuseSharingAcrossModalities(ExperimentConfig c, DatasetKind kind, Action<bool, string, string> require)
    {
        if (!c.Model.Shared) return;
        string a = ModalityCatalog.Of(c.Model.BranchA);
        if (c.Model.BranchB is { } b && EncoderCatalog.Contains(b.Encoder) && ModalityCatalog.Of(b) is var mb && mb != a)
            require(false, "model.shared", $"is true, but model.branch_a takes {Noun(a)} and model.branch_b takes {Noun(mb)}; branches of different modalities cannot share weights: set shared to false");
        if (kind.Modalities.Count > 1)
            require(false, "model.shared",
            $"is true, but data.kind \"{kind.Name}\" pairs {string.Join(" with ", kind.Modalities.Select(Noun))} and one shared branch takes only one of them: " +
            $"set shared to false and give model.branch_b an encoder for the other (e.g. {Example(kind.Modalities.First(m => m != a))})");
    }

    /// <summary>The modality's own word for its samples (its catalog entry's), else its name.</summary>
    private static string Noun(string modality) =>
        ModalityCatalog.TryGet(modality, out var entry) && entry.Noun is { } noun ? noun : modality;

    /// <summary>The encoders the modality's entry suggests, else those registered for it.</summary>
    private static string Example(string modality) =>
        ModalityCatalog.TryGet(modality, out var entry) && entry.Examples is { } examples ? examples
            : string.Join(", ", EncoderCatalog.All.Where(e => e.Input == modality).Select(e => e.Name).Take(2).DefaultIfEmpty("one registered for it"));
}
