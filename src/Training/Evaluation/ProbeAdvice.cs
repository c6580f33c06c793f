namespace Vicreg.Training.Evaluation;

/// <summary>What a run's probe results say, and what to change when pretraining gained little: the pretrained backbone
/// against the same network at random init and the majority class, with 95% Wilson intervals.</summary>
public static class ProbeAdvice
{
    /// <param name="modality">Branch A's modality, whose entry's <see cref="Sources.ModalityEntry.ViewAdvice"/> is added.</param>
    /// <param name="steps">Optimizer steps the run took in all.</param>
    public static IReadOnlyList<string> Lines(double trained, double? random, MajorityBaseline? majority, int heldOut, long steps, string modality)
    {
        var lines = new List<string>();
        var t = AccuracyInterval.Wilson(trained, heldOut);
        bool belowMajority = majority is { } m && !double.IsNaN(m.Top1) && t.Low <= m.Top1;
        bool overlapsRandom = random is { } r && AccuracyInterval.Wilson(r, heldOut) is var ri && t.Low <= ri.High;
        if (!belowMajority && !overlapsRandom) return lines;
        lines.Add(belowMajority
            ? $"advice: the pretrained backbone's top-1 {trained:F1}% {t} is not clearly above always answering the majority class ({majority!.Top1:F1}%); what to change:"
            : $"advice: the pretrained backbone's top-1 {trained:F1}% {t} is not clearly above the random-init floor ({random:F1}%): the 95% intervals overlap; what to change:");
        if (steps < 1000)
            lines.Add($"  - more training: {steps} optimizer steps in all; raise optim.epochs (vicreg init --data FOLDER --minutes M sizes it to a time budget), or lower optim.batch_size on a small set");
        if (Sources.ModalityCatalog.TryGet(modality, out var entry) && entry.ViewAdvice is { } advice)
            lines.Add("  - " + advice);
        lines.Add("  - the learning rate: try optim.base_lr ×0.3 and ×3 (a run that collapsed shows it in diagnostics.csv: std near 0)");
        if (heldOut < 300)
            lines.Add($"  - the measurement: {heldOut} held-out samples give intervals of ±{t.HalfWidth:F0} points; more held-out data (data.val) separates smaller gains");
        return lines;
    }
}
