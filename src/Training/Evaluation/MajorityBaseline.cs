namespace Vicreg.Training.Evaluation;

/// <summary>
/// The score of always answering the training set's most frequent class(es): the floor under every probe, which on
/// unbalanced real data is far above chance (a third of the clip-art set is one class).
/// </summary>
/// <param name="Class">The majority class of the training samples.</param>
/// <param name="TrainShare">Its share of the training samples, in percent.</param>
/// <param name="Top1">Held-out accuracy of always answering it, in percent.</param>
/// <param name="Top5">Held-out top-5 accuracy of always answering the five most frequent training classes.</param>
public sealed record MajorityBaseline(string Class, double TrainShare, double Top1, double Top5, int Val)
{
    public static MajorityBaseline Of(IReadOnlyList<int> trainLabels, IReadOnlyList<int> heldOutLabels, IReadOnlyList<string> classes)
    {
        var ranked = trainLabels.GroupBy(l => l).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => (Label: g.Key, Count: g.Count())).ToList();
        if (ranked.Count == 0 || heldOutLabels.Count == 0) return new MajorityBaseline("", double.NaN, double.NaN, double.NaN, heldOutLabels.Count);
        var top5 = ranked.Take(Math.Min(5, classes.Count)).Select(r => r.Label).ToHashSet();
        int first = ranked[0].Label;
        return new MajorityBaseline(first < classes.Count ? classes[first] : $"class {first}", 100.0 * ranked[0].Count / trainLabels.Count,
            100.0 * heldOutLabels.Count(l => l == first) / heldOutLabels.Count, 100.0 * heldOutLabels.Count(top5.Contains) / heldOutLabels.Count, heldOutLabels.Count);
    }

    /// <summary>"majority class \"cat\" (34.1% of training): top-1 33.3% [28.0, 39.1] on held-out data".</summary>
    public override string ToString() =>
        FormattableString.Invariant($"always answering the majority class \"{Class}\" ({TrainShare:F1}% of the training samples) scores top-1 {Top1:F1}% {AccuracyInterval.Wilson(Top1, Val)} on the held-out data");
}
