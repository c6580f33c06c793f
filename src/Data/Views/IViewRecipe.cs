namespace Vicreg.Data.Views;

/// <summary>
/// How one branch's views are drawn from a decoded sample of its modality: the random training view (its own
/// augmentation settings, from the random stream the pipeline gives it), the centred views without randomness,
/// and the per-sample tensor layout of each. Image and audio are the first two; a modality plug-in adds one.
/// </summary>
public interface IViewRecipe
{
    /// <summary>The modality of the samples it reads ("image", "audio").</summary>
    string Modality { get; }

    /// <summary>Shape of one training view, without the batch dimension: [C, S, S] or [1, samples].</summary>
    long[] TrainShape { get; }

    /// <summary>Shape of one evaluation view (probes, kNN): [C, S, S] or [1, samples].</summary>
    long[] EvalShape { get; }

    /// <summary>Draws a training view into <paramref name="output"/> (TrainShape floats); true when the sample
    /// was shorter than the view and padded. When <paramref name="drawn"/> is given, it receives what the view drew
    /// (crop, flip, gain…; for previews), without any change to the view or to the random stream.</summary>
    bool Draw(DecodedSample sample, Random rng, Span<float> output, Action<DrawnView>? drawn = null);

    /// <summary>Draws from <paramref name="rng"/> exactly what <see cref="Draw"/> would, without producing the view, and
    /// tells a sample that decodes on demand (data.decode fast) what the view will read, so that one decode serves
    /// every view of the sample. False: this recipe does not plan (the views after it are then not planned either;
    /// they still come out right, at the cost of a second decode now and then).</summary>
    bool Plan(DecodedSample sample, Random rng) => false;

    /// <summary>The training geometry without randomness (collapse diagnostics), TrainShape floats.</summary>
    void CentreTrain(DecodedSample sample, Span<float> output);

    /// <summary>The evaluation view (EvalShape floats).</summary>
    void CentreEval(DecodedSample sample, Span<float> output);

    /// <summary>Domain tags of the epoch-order and per-sample random streams when this recipe's branch leads
    /// the pairing (branch A). They are fixed constants of each modality: a new tag would draw other views, and
    /// existing runs would no longer reproduce bit for bit.</summary>
    (long Permutation, long Views) StreamTags { get; }
}

public static class ViewShapes
{
    public static long Elements(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);
}
